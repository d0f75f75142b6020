import { userCreateSchema } from '../../contracts/users';
import { appendAudit } from '../store/audit-repository';
import type { Db } from '../store/database';
import { findProfileByName } from '../store/profiles-repository';
import { createAccount, resetAccountPassword } from '../store/user-accounts';
import { countUsers, findUserByExtension, findUserByUsername, listUsers } from '../store/users-repository';

export class CliError extends Error {}

const CLI_ACTOR = { id: null, username: 'cli' };

export type AddUserOptions = {
  username: string;
  name?: string;
  extension?: string;
  role?: string;
  profile?: string;
  email?: string;
  location?: string;
};

export async function addUser(db: Db, sipRealm: string, options: AddUserOptions): Promise<string> {
  // The first start creates the admin (and the demo) only on an empty database: keep it so.
  if ((await countUsers(db)) === 0)
    throw new CliError('This database is empty: start the server once first, so that it creates the admin.');
  let profileId: number | null = null;
  if (options.profile) {
    const profile = await findProfileByName(db, options.profile);
    if (!profile) throw new CliError(`There is no profile named ${options.profile}.`);
    profileId = profile.id;
  }
  const parsed = userCreateSchema.safeParse({
    username: options.username,
    displayName: options.name ?? options.username,
    extension: options.extension,
    role: options.role ?? 'agent',
    profileId,
    email: options.email ?? null,
    location: options.location ?? null,
  });
  if (!parsed.success)
    throw new CliError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'),
    );
  const input = parsed.data;
  if (await findUserByUsername(db, input.username))
    throw new CliError(`The username ${input.username} is taken.`);
  const owner = await findUserByExtension(db, input.extension);
  if (owner) throw new CliError(`Extension ${input.extension} belongs to ${owner.username}.`);
  return db.transaction(async (tx) => {
    const { id, password } = await createAccount(tx, input, sipRealm);
    await appendAudit(tx, CLI_ACTOR, {
      action: 'user.create',
      entity: 'user',
      entityId: id,
      after: {
        username: input.username,
        role: input.role,
        extension: input.extension,
        profile: options.profile ?? null,
      },
    });
    return `Created ${input.username} (${input.role}, extension ${input.extension}). Password, shown once: ${password}`;
  });
}

export async function resetPassword(db: Db, sipRealm: string, username: string): Promise<string> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new CliError(`There is no user named ${username}.`);
  return db.transaction(async (tx) => {
    const password = await resetAccountPassword(tx, user, sipRealm);
    await appendAudit(tx, CLI_ACTOR, { action: 'user.reset_password', entity: 'user', entityId: user.id });
    return `New password for ${username}, shown once: ${password}`;
  });
}

export async function listAllUsers(db: Db, search?: string): Promise<string> {
  const lines: string[] = [
    `${'username'.padEnd(16)} ${'role'.padEnd(11)} ${'extension'.padEnd(10)} ${'profile'.padEnd(16)} name`,
  ];
  for (let offset = 0; ; offset += 500) {
    const page = await listUsers(db, { q: search, offset, limit: 500 });
    for (const u of page.items)
      lines.push(
        `${u.username.padEnd(16)} ${u.role.padEnd(11)} ${u.extension.padEnd(10)} ${(u.profileName ?? '-').padEnd(16)} ${u.displayName}`,
      );
    if (offset + 500 >= page.total) return lines.join('\n');
  }
}
