import { parseAuthHeader } from '../message/auth-header';
import { parseCSeq, formatCSeq } from '../message/cseq';
import { generateBranch } from '../message/identifiers';
import { cloneMessage, type SipRequest, type SipResponse } from '../message/sip-message';
import { formatVia, parseVia } from '../message/via';
import { buildDigestAnswer, pickDigestChallenge } from './digest-answer';

/** The username and password a `register` trunk answers its carrier's challenges with. */
export interface TrunkCredentials {
  readonly username: string;
  readonly password: string;
}

/** Nonces most recently answered, so a nonce answered again is counted on (nc) as RFC 7616 asks. */
export class NonceCounts {
  readonly #counts = new Map<string, number>();

  next(nonce: string): number {
    const count = (this.#counts.get(nonce) ?? 0) + 1;
    this.#counts.delete(nonce);
    this.#counts.set(nonce, count);
    // Only the latest few matter: a carrier's nonces are short-lived.
    if (this.#counts.size > 32) this.#counts.delete(this.#counts.keys().next().value ?? '');
    return count;
  }
}

const headerNames = {
  401: { challenge: 'WWW-Authenticate', credentials: 'Authorization' },
  407: { challenge: 'Proxy-Authenticate', credentials: 'Proxy-Authorization' },
} as const;

/**
 * The request again, answering a 401/407 (RFC 3261 22.2): a copy with a new Via branch, CSeq + 1
 * and credentials for the challenge's realm in place of any earlier ones for it. Null when the
 * response is no Digest challenge the edge can answer, or when the request already answered this
 * realm and the carrier challenges again without `stale=true`: its credentials were refused.
 */
export function answerRequestChallenge(
  request: SipRequest,
  response: SipResponse,
  credentials: TrunkCredentials,
  counts: NonceCounts,
): SipRequest | null {
  if (response.status !== 401 && response.status !== 407) return null;
  const names = headerNames[response.status];
  const challenge = pickDigestChallenge(response.headers.getAll(names.challenge));
  if (!challenge) return null;
  const earlier = request.headers.getAll(names.credentials);
  const answeredBefore = earlier.some((value) => realmOf(value) === challenge.realm);
  if (answeredBefore && !challenge.stale) return null;
  const cseq = parseCSeq(request.headers.get('cseq') ?? '');
  const via = parseVia(request.headers.get('via') ?? '');
  if (!cseq || !via) return null;
  const retry = cloneMessage(request);
  via.params.set('branch', generateBranch());
  const vias = [...request.headers.getAll('via')];
  vias[0] = formatVia(via);
  retry.headers.set('Via', vias);
  retry.headers.set('CSeq', formatCSeq({ seq: cseq.seq + 1, method: cseq.method }));
  const answer = buildDigestAnswer({
    challenge,
    username: credentials.username,
    password: credentials.password,
    method: request.method,
    uri: request.uri,
    nonceCount: counts.next(challenge.nonce),
  });
  retry.headers.set(names.credentials, [
    ...earlier.filter((value) => realmOf(value) !== challenge.realm),
    answer,
  ]);
  return retry;
}

/** Whether a request carries credentials of any kind (it is answering someone's challenge). */
export function carriesCredentials(request: SipRequest): boolean {
  return request.headers.has('authorization') || request.headers.has('proxy-authorization');
}

function realmOf(value: string): string | undefined {
  return parseAuthHeader(value)?.params.get('realm');
}
