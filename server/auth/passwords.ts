import { createHash, randomInt } from 'node:crypto';
import argon2 from 'argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane — about 20 ms a hash on this machine kind.
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so a missing user is not told apart by timing. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('switchboard-timing-equaliser');
  await verifyPassword(await dummyHash, password);
  return false;
}

export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** HA1 = H(username:realm:password), what the SIP edge keeps instead of the password. */
export function sipHa1(
  username: string,
  realm: string,
  password: string,
  algorithm: DigestAlgorithm,
): string {
  const hash = createHash(algorithm === 'MD5' ? 'md5' : 'sha256');
  return hash.update(`${username}:${realm}:${password}`).digest('hex');
}

export type StoredSecrets = {
  passwordHash: string;
  ha1Md5: string;
  ha1Sha256: string;
  sipRealm: string;
};

export async function secretsFor(username: string, realm: string, password: string): Promise<StoredSecrets> {
  return {
    passwordHash: await hashPassword(password),
    ha1Md5: sipHa1(username, realm, password, 'MD5'),
    ha1Sha256: sipHa1(username, realm, password, 'SHA-256'),
    sipRealm: realm,
  };
}

// No 0/O, 1/l/I: a password read aloud or copied from a screen is typed right the first time.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of 16 characters (≈ 93 bits), shown to a person once. */
export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
