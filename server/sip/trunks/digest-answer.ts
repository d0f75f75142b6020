import { randomBytes } from 'node:crypto';
import { computeDigestResponse, computeHa1, digestHash, type DigestAlgorithm } from '../auth/digest';
import { formatAuthHeader, parseAuthHeader, type AuthParam } from '../message/auth-header';

/** A carrier's WWW-Authenticate / Proxy-Authenticate Digest challenge, as the edge can answer it. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** `auth` when the carrier offers it (with cnonce and nc), null for RFC 2069 (no qop). */
  qop: 'auth' | null;
  opaque: string | null;
  /** The carrier knew our answer but its nonce had expired: answer again without counting it wrong. */
  stale: boolean;
}

/**
 * Reads one challenge value; null when it is no Digest challenge the edge can answer (another
 * scheme, an algorithm other than MD5 and SHA-256, a -sess variant, or only qop=auth-int).
 */
export function parseDigestChallenge(value: string): DigestChallenge | null {
  const header = parseAuthHeader(value);
  if (!header || header.scheme.toLowerCase() !== 'digest') return null;
  const realm = header.params.get('realm');
  const nonce = header.params.get('nonce');
  if (realm === undefined || nonce === undefined) return null;
  const algorithmText = (header.params.get('algorithm') ?? 'MD5').toUpperCase();
  if (algorithmText !== 'MD5' && algorithmText !== 'SHA-256') return null;
  const qopText = header.params.get('qop');
  let qop: 'auth' | null = null;
  if (qopText !== undefined) {
    const offered = qopText.split(',').map((each) => each.trim().toLowerCase());
    if (!offered.includes('auth')) return null;
    qop = 'auth';
  }
  return {
    realm,
    nonce,
    algorithm: algorithmText,
    qop,
    opaque: header.params.get('opaque') ?? null,
    stale: header.params.get('stale')?.toLowerCase() === 'true',
  };
}

/**
 * The challenge to answer among a response's challenge headers: SHA-256 before MD5 (RFC 8760),
 * otherwise the first one the edge understands; null when there is none.
 */
export function pickDigestChallenge(values: readonly string[]): DigestChallenge | null {
  const challenges = values.map(parseDigestChallenge).filter((each) => each !== null);
  return challenges.find((each) => each.algorithm === 'SHA-256') ?? challenges[0] ?? null;
}

export interface DigestAnswerInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** The digest-uri: the request's Request-URI. */
  uri: string;
  /** How many requests this nonce has answered, this one included (1 for a fresh challenge). */
  nonceCount?: number;
  /** Chosen at random unless given (tests give the RFC's). */
  cnonce?: string;
}

/** The request-digest: RFC 7616 3.4.1 with qop=auth, RFC 2069's H(HA1:nonce:HA2) without qop. */
export function digestAnswerResponse(input: Required<DigestAnswerInput>): string {
  const { challenge } = input;
  const ha1 = computeHa1(challenge.algorithm, input.username, challenge.realm, input.password);
  if (challenge.qop === 'auth') {
    return computeDigestResponse({
      algorithm: challenge.algorithm,
      ha1,
      nonce: challenge.nonce,
      nc: formatNonceCount(input.nonceCount),
      cnonce: input.cnonce,
      method: input.method,
      uri: input.uri,
    });
  }
  const ha2 = digestHash(challenge.algorithm, `${input.method}:${input.uri}`);
  return digestHash(challenge.algorithm, `${ha1}:${challenge.nonce}:${ha2}`);
}

/** The Authorization / Proxy-Authorization value answering `challenge` (RFC 3261 22.4, RFC 7616). */
export function buildDigestAnswer(input: DigestAnswerInput): string {
  const full: Required<DigestAnswerInput> = {
    ...input,
    nonceCount: input.nonceCount ?? 1,
    cnonce: input.cnonce ?? randomBytes(12).toString('hex'),
  };
  const { challenge } = full;
  const params: AuthParam[] = [
    { name: 'username', value: full.username, quoted: true },
    { name: 'realm', value: challenge.realm, quoted: true },
    { name: 'nonce', value: challenge.nonce, quoted: true },
    { name: 'uri', value: full.uri, quoted: true },
    { name: 'response', value: digestAnswerResponse(full), quoted: true },
    { name: 'algorithm', value: challenge.algorithm, quoted: false },
  ];
  if (challenge.qop === 'auth') {
    params.push({ name: 'cnonce', value: full.cnonce, quoted: true });
    params.push({ name: 'qop', value: 'auth', quoted: false });
    params.push({ name: 'nc', value: formatNonceCount(full.nonceCount), quoted: false });
  }
  if (challenge.opaque !== null) params.push({ name: 'opaque', value: challenge.opaque, quoted: true });
  return formatAuthHeader('Digest', params);
}

function formatNonceCount(count: number): string {
  return count.toString(16).padStart(8, '0');
}
