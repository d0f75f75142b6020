import { generatePassword, secretsFor } from '../auth/passwords';
import type { DbOrTx } from './database';
import { bumpSipCredentialGeneration, insertUser, setUserSecrets, type NewUser } from './users-repository';

/**
 * Creates a user with a generated password, stored only as argon2id (web sign-in) and as SIP
 * digest HA1s (the SIP edge). The password is returned once, for the person who created it.
 */
export async function createAccount(
  db: DbOrTx,
  input: NewUser,
  sipRealm: string,
): Promise<{ id: number; password: string }> {
  const password = generatePassword();
  const id = await insertUser(db, input, await secretsFor(input.username, sipRealm, password));
  return { id, password };
}

/**
 * A new generated password, returned once. The short-lived SIP credentials issued before end
 * with the old password (the edge accepts only the user's new credential generation).
 */
export async function resetAccountPassword(
  db: DbOrTx,
  user: { id: number; username: string },
  sipRealm: string,
): Promise<string> {
  const password = generatePassword();
  await setUserSecrets(db, user.id, await secretsFor(user.username, sipRealm, password));
  await bumpSipCredentialGeneration(db, user.id);
  return password;
}
