import { hash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'sb_session';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only the hash is stored: a copy of the sessions table signs nobody in. */
export function hashSessionToken(token: string): string {
  return hash('sha256', token, 'hex');
}
