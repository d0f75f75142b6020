import { createHmac } from 'node:crypto';
import { computeHa1, type DigestAlgorithm } from './digest';

/**
 * Short-lived SIP credentials for a signed-in web session, in the TURN REST / Kamailio
 * auth_ephemeral form: username `<expiry unix seconds>:<user>:<generation>`, password
 * base64(HMAC(secret, username)). The browser never holds the user's password, and the
 * edge derives the password again from the username. The generation is the user's credential
 * generation when they were issued: signing out, a password reset or a new role or profile
 * bumps it, and the edge accepts only the current one, so credentials end with what they were
 * issued for rather than living out their hours. (auth_ephemeral HMACs the whole username, so
 * the suffix keeps that form; comparing the generation is one more lookup.)
 */
export type EphemeralHmac = 'sha1' | 'sha256';

export interface EphemeralCredentials {
  username: string;
  password: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface IssueOptions {
  secret: string;
  user: string;
  /** The user's credential generation now. */
  generation: number;
  ttlSeconds: number;
  /** Kamailio's auth_ephemeral default is SHA-1 (sha_algorithm 0); SHA-256 is 1. */
  hmac?: EphemeralHmac;
  /** Milliseconds since the epoch. */
  now?: number;
}

export function ephemeralPassword(secret: string, username: string, hmac: EphemeralHmac = 'sha256'): string {
  return createHmac(hmac, secret).update(username, 'utf8').digest('base64');
}

export function issueEphemeralCredentials(options: IssueOptions): EphemeralCredentials {
  if (options.user === '' || /[\s"\\]/.test(options.user)) {
    throw new Error('An ephemeral credential needs a plain user name');
  }
  const now = options.now ?? Date.now();
  const expiresAt = Math.floor(now / 1000) + Math.max(1, Math.floor(options.ttlSeconds));
  if (!Number.isSafeInteger(options.generation) || options.generation < 0) {
    throw new Error('A credential generation is a whole number');
  }
  const username = `${expiresAt}:${options.user}:${options.generation}`;
  return {
    username,
    password: ephemeralPassword(options.secret, username, options.hmac),
    expiresAt,
  };
}

/**
 * The parts of an ephemeral username; `generation` is null in the bare `<expiry>:<user>` form
 * (credentials from before generations, never accepted).
 */
export function parseEphemeralUsername(
  username: string,
): { expiresAt: number; user: string; generation: number | null } | null {
  const colon = username.indexOf(':');
  if (colon <= 0 || colon > 12) return null;
  const digits = username.slice(0, colon);
  const rest = username.slice(colon + 1);
  if (!/^[0-9]+$/.test(digits) || rest === '') return null;
  const suffix = /^(.+):([0-9]{1,9})$/.exec(rest);
  return suffix?.[1] && suffix[2]
    ? { expiresAt: Number(digits), user: suffix[1], generation: Number(suffix[2]) }
    : { expiresAt: Number(digits), user: rest, generation: null };
}

export interface DeriveOptions {
  secret: string;
  username: string;
  realm: string;
  algorithm: DigestAlgorithm;
  hmac?: EphemeralHmac;
  now?: number;
  /** Refuse expiries further ahead than this (defence against a leaked long-lived one). */
  maxTtlSeconds?: number;
}

export type DerivedHa1 =
  | { ok: true; user: string; generation: number | null; expiresAt: number; ha1: string }
  | { ok: false; reason: 'not-ephemeral' | 'expired' | 'too-long-lived' };

/** The HA1 to verify a digest against when the username is an ephemeral one. */
export function deriveEphemeralHa1(options: DeriveOptions): DerivedHa1 {
  const parsed = parseEphemeralUsername(options.username);
  if (!parsed) return { ok: false, reason: 'not-ephemeral' };
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (parsed.expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  if (options.maxTtlSeconds !== undefined && parsed.expiresAt - nowSeconds > options.maxTtlSeconds) {
    return { ok: false, reason: 'too-long-lived' };
  }
  const password = ephemeralPassword(options.secret, options.username, options.hmac);
  return {
    ok: true,
    user: parsed.user,
    generation: parsed.generation,
    expiresAt: parsed.expiresAt,
    ha1: computeHa1(options.algorithm, options.username, options.realm, password),
  };
}
