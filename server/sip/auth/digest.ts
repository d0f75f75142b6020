import { hash } from 'node:crypto';
import { formatAuthHeader, readAuthHeader, type AuthParam, type AuthParamSink } from '../message/auth-header';
import { detached } from '../message/detached-string';
import { quote } from '../message/header-syntax';
import type { NonceManager } from './nonce';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

/**
 * RFC 8760 3: the preferred algorithm first, so SHA-256 leads. Measured with sip.js 0.21:
 * its parser keeps only the LAST WWW-Authenticate/Proxy-Authenticate header (setHeader
 * replaces) and it supports only MD5, so MD5 must come last (JsSIP shares that parser).
 */
export const defaultDigestAlgorithms: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/** H(text) in lowercase hex; the one-shot crypto.hash is 1.6 µs against createHash's 2.6. */
export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return hash(algorithm === 'MD5' ? 'md5' : 'sha256', text, 'hex');
}

/** HA1 = H(username:realm:password): what the credential store keeps, never the password. */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

export interface ResponseInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  nonce: string;
  /** The nc value exactly as sent (8 hex digits). */
  nc: string;
  cnonce: string;
  method: string;
  uri: string;
}

/** The qop=auth request-digest (RFC 7616 3.4.1). */
export function computeDigestResponse(input: ResponseInput): string {
  const ha2 = ha2Of(input.algorithm, input.method, input.uri);
  return digestHash(input.algorithm, `${input.ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}

/** The last HA2 worked out with each algorithm, and the method and digest-uri it is of. */
const lastHa2: Record<DigestAlgorithm, { method: string; uri: string; ha2: string }> = {
  MD5: { method: '', uri: '', ha2: '' },
  'SHA-256': { method: '', uri: '', ha2: '' },
};

/**
 * HA2 = H(method:digest-uri). A registrar's REGISTERs all carry the same method and URI (the
 * domain), so the last one is remembered per algorithm: one hash of the three a registration's
 * check takes. The URI is kept as a copy (detached), not as the slice of the message it came as.
 */
function ha2Of(algorithm: DigestAlgorithm, method: string, uri: string): string {
  const last = lastHa2[algorithm];
  if (last.uri === uri && last.method === method) return last.ha2;
  const ha2 = digestHash(algorithm, `${method}:${uri}`);
  lastHa2[algorithm] = { method: detached(method), uri: detached(uri), ha2 };
  return ha2;
}

export interface ChallengeOptions {
  realm: string;
  /** One challenge per algorithm, in this order. */
  algorithms?: readonly DigestAlgorithm[];
  /** A fresh nonce per challenge; pass nonces.issue(). */
  nonce: string;
  /** The previous request had a valid response with an expired (or replayed) nonce. */
  stale?: boolean;
  opaque?: string;
}

/** Values for WWW-Authenticate (registrar, 401) or Proxy-Authenticate (proxy, 407). */
export function buildDigestChallenges(options: ChallengeOptions): string[] {
  const nonce = quote(options.nonce);
  return challengeTemplates(options).map(([before, after]) => before + nonce + after);
}

/** A challenge's text around its nonce, which is all that changes between challenges. */
type Template = [before: string, after: string];
const templates = new Map<string, Template[]>();
const MAX_TEMPLATES = 64;
const NONCE_MARK = '\u0000nonce\u0000';

function challengeTemplates(options: ChallengeOptions): Template[] {
  const opaque = options.opaque === undefined ? '' : `=${options.opaque}`;
  const key = `${options.realm}\n${options.algorithms?.join() ?? ''}\n${options.stale === true}\n${opaque}`;
  let found = templates.get(key);
  if (found === undefined) {
    found = formatChallenges({ ...options, nonce: NONCE_MARK }).map((text) => {
      const at = text.indexOf(quote(NONCE_MARK));
      return [text.slice(0, at), text.slice(at + quote(NONCE_MARK).length)];
    });
    if (templates.size < MAX_TEMPLATES) templates.set(key, found);
  }
  return found;
}

function formatChallenges(options: ChallengeOptions): string[] {
  return (options.algorithms ?? defaultDigestAlgorithms).map((algorithm) => {
    const params: AuthParam[] = [
      { name: 'realm', value: options.realm, quoted: true },
      { name: 'nonce', value: options.nonce, quoted: true },
    ];
    if (options.opaque !== undefined) params.push({ name: 'opaque', value: options.opaque, quoted: true });
    params.push({ name: 'algorithm', value: algorithm, quoted: false });
    params.push({ name: 'qop', value: 'auth', quoted: true });
    if (options.stale) params.push({ name: 'stale', value: 'true', quoted: false });
    return formatAuthHeader('Digest', params);
  });
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop: 'auth';
  /** As sent, for the hash. */
  nc: string;
  ncValue: number;
  cnonce: string;
  opaque: string | null;
}

export type CredentialsResult = { ok: true; credentials: DigestCredentials } | { ok: false; reason: string };

/** Reads an Authorization / Proxy-Authorization value. */
export function parseDigestCredentials(value: string): CredentialsResult {
  const p = new DigestParams();
  const scheme = readAuthHeader(value, p);
  if (scheme === null || scheme.toLowerCase() !== 'digest') {
    return { ok: false, reason: 'Not a Digest authorization' };
  }
  const { username, realm, nonce, uri, response } = p;
  if (
    username === undefined ||
    realm === undefined ||
    nonce === undefined ||
    uri === undefined ||
    response === undefined
  ) {
    return { ok: false, reason: 'Incomplete Digest authorization' };
  }
  const algorithmText = p.algorithm ?? 'MD5';
  const algorithm = algorithmText.toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'SHA-256') {
    return { ok: false, reason: `Unsupported algorithm ${algorithmText}` };
  }
  // Without qop there is no nonce-count, and so no replay protection: refuse it.
  if (p.qop?.toLowerCase() !== 'auth') return { ok: false, reason: 'qop=auth required' };
  const nc = p.nc ?? '';
  const cnonce = p.cnonce ?? '';
  if (!/^[0-9a-fA-F]{8}$/.test(nc) || cnonce === '') {
    return { ok: false, reason: 'Missing or malformed nc/cnonce' };
  }
  const ncValue = Number.parseInt(nc, 16);
  if (ncValue === 0) return { ok: false, reason: 'Missing or malformed nc/cnonce' };
  return {
    ok: true,
    credentials: {
      username,
      realm,
      nonce,
      uri,
      response: response.toLowerCase(),
      algorithm,
      qop: 'auth',
      nc,
      ncValue,
      cnonce,
      opaque: p.opaque ?? null,
    },
  };
}

/**
 * The parameters of a Digest authorization, read into fields by name instead of a Map per
 * header (string keys hashed on every set, has and get). Any repeated parameter, one of these
 * or another, refuses the header, as parseAuthHeader does.
 */
class DigestParams implements AuthParamSink {
  username: string | undefined;
  realm: string | undefined;
  nonce: string | undefined;
  uri: string | undefined;
  response: string | undefined;
  algorithm: string | undefined;
  qop: string | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
  opaque: string | undefined;
  /** Names of other parameters, kept only to refuse a repeat. */
  #others: Set<string> | null = null;

  /** One case per field: a computed `this[name]` was a slow keyed store on every parameter. */
  add(name: string, value: string): boolean {
    switch (name) {
      case 'username':
        if (this.username !== undefined) return false;
        this.username = value;
        return true;
      case 'realm':
        if (this.realm !== undefined) return false;
        this.realm = value;
        return true;
      case 'nonce':
        if (this.nonce !== undefined) return false;
        this.nonce = value;
        return true;
      case 'uri':
        if (this.uri !== undefined) return false;
        this.uri = value;
        return true;
      case 'response':
        if (this.response !== undefined) return false;
        this.response = value;
        return true;
      case 'algorithm':
        if (this.algorithm !== undefined) return false;
        this.algorithm = value;
        return true;
      case 'qop':
        if (this.qop !== undefined) return false;
        this.qop = value;
        return true;
      case 'nc':
        if (this.nc !== undefined) return false;
        this.nc = value;
        return true;
      case 'cnonce':
        if (this.cnonce !== undefined) return false;
        this.cnonce = value;
        return true;
      case 'opaque':
        if (this.opaque !== undefined) return false;
        this.opaque = value;
        return true;
      default:
        this.#others ??= new Set();
        if (this.#others.has(name)) return false;
        this.#others.add(name);
        return true;
    }
  }
}

export type DigestFailure =
  | 'realm-mismatch'
  | 'algorithm-not-offered'
  | 'uri-mismatch'
  | 'invalid-nonce'
  | 'unknown-user'
  | 'wrong-response'
  | 'stale-nonce'
  | 'replayed-nonce';

export type DigestVerdict = { ok: true } | { ok: false; reason: DigestFailure; stale: boolean };

export interface VerifyDigestInput {
  credentials: DigestCredentials;
  method: string;
  realm: string;
  /** HA1 for credentials.username and credentials.algorithm; null if no such user. */
  ha1: string | null;
  nonces: Pick<NonceManager, 'check' | 'useCount'>;
  algorithms?: readonly DigestAlgorithm[];
  /** When given, the digest-uri must be this Request-URI. */
  requestUri?: string;
}

/**
 * Verifies a digest response. `stale: true` in a failure means the client knew the
 * password, and the next challenge should say stale=true so it retries without asking.
 */
function fail(reason: DigestFailure, stale = false): DigestVerdict {
  return { ok: false, reason, stale };
}

export function verifyDigest(input: VerifyDigestInput): DigestVerdict {
  const { credentials } = input;
  if (credentials.realm !== input.realm) return fail('realm-mismatch');
  if (!(input.algorithms ?? defaultDigestAlgorithms).includes(credentials.algorithm)) {
    return fail('algorithm-not-offered');
  }
  if (input.requestUri !== undefined && credentials.uri !== input.requestUri) {
    return fail('uri-mismatch');
  }
  const nonceStatus = input.nonces.check(credentials.nonce);
  if (nonceStatus === 'invalid') return fail('invalid-nonce');
  if (input.ha1 === null) return fail('unknown-user');
  const expected = computeDigestResponse({
    algorithm: credentials.algorithm,
    ha1: input.ha1.toLowerCase(),
    nonce: credentials.nonce,
    nc: credentials.nc,
    cnonce: credentials.cnonce,
    method: input.method,
    uri: credentials.uri,
  });
  if (!sameHex(expected, credentials.response)) return fail('wrong-response');
  if (nonceStatus === 'stale') return fail('stale-nonce', true);
  const count = input.nonces.useCount(credentials.nonce, credentials.ncValue);
  if (count === 'replayed') return fail('replayed-nonce', true);
  if (count === 'stale') return fail('stale-nonce', true);
  return { ok: true };
}

/**
 * Compares in time that depends on the length only, like timingSafeEqual, without making two
 * Buffers per request: every character is read whatever the differences.
 */
function sameHex(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}

export function challengeHeaderName(kind: 'registrar' | 'proxy'): string {
  return kind === 'registrar' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
}

export function credentialsHeaderName(kind: 'registrar' | 'proxy'): string {
  return kind === 'registrar' ? 'Authorization' : 'Proxy-Authorization';
}
