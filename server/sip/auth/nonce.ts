import { timingSafeEqual } from 'node:crypto';
import { detached } from '../message/detached-string';
import { fillRandom } from '../message/random-pool';
import { HmacSha256 } from './hmac-sha256';
import { InsertionIndex } from './insertion-index';

export interface NonceOptions {
  /** Server secret the nonces are signed with (at least 16 bytes of randomness). */
  secret: string | Uint8Array;
  /** How long a nonce may be used; after that it is stale. */
  lifetimeSeconds?: number;
  /** Most nonces whose nonce-count is remembered at once; bounds memory. */
  maxTracked?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export type NonceStatus = 'valid' | 'stale' | 'invalid';
export type NonceCountResult = 'ok' | 'replayed' | 'stale';

const TIME_BYTES = 8;
const RANDOM_BYTES = 8;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

/** A nonce issued and not yet answered. */
interface Issued {
  readonly key: string;
  readonly issuedAt: number;
}

/** A nonce answered: its highest nonce-count so far. */
interface Tracked extends Issued {
  highestNc: number;
}

/**
 * Stateless nonces (issue time + random, HMAC-signed) with bounded replay tracking: the
 * highest nonce-count accepted per nonce is remembered, and a count that does not increase
 * is refused. Memory is bounded: the oldest tracked nonces are forgotten first, and any
 * nonce issued before the newest forgotten one is then treated as stale, so forgetting
 * never re-opens a replay, it only costs the client one more challenge.
 */
export class NonceManager {
  readonly lifetimeMs: number;
  readonly #mac: HmacSha256;
  readonly #maxTracked: number;
  readonly #now: () => number;
  readonly #tracked = new InsertionIndex<Tracked>();
  #forgottenUpTo = -Infinity;
  /**
   * Nonces issued and not yet answered, with their issue time: the answer to a challenge is
   * checked by looking it up instead of signing it again (an HMAC, 5 µs of each registration).
   * A nonce forgotten here (restart, more than maxTracked waiting) is still checked by its MAC.
   */
  readonly #issued = new InsertionIndex<Issued>();

  constructor(options: NonceOptions) {
    this.#mac = new HmacSha256(options.secret);
    this.lifetimeMs = (options.lifetimeSeconds ?? 300) * 1000;
    this.#maxTracked = options.maxTracked ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  issue(): string {
    const nonce = Buffer.alloc(NONCE_BYTES);
    const issuedAt = Math.floor(this.#now());
    nonce.writeBigUInt64BE(BigInt(issuedAt), 0);
    fillRandom(nonce, TIME_BYTES, RANDOM_BYTES);
    this.#sign(nonce.subarray(0, TIME_BYTES + RANDOM_BYTES)).copy(nonce, TIME_BYTES + RANDOM_BYTES);
    const text = nonce.toString('base64url');
    this.#issued.add({ key: text, issuedAt });
    this.#pruneIssued(issuedAt);
    return text;
  }

  /** Drops expired waiting nonces, and the oldest past maxTracked; they keep their MAC. */
  #pruneIssued(now: number): void {
    const expiredBefore = now - this.lifetimeMs;
    for (let oldest = this.#issued.oldest(); oldest; oldest = this.#issued.oldest()) {
      if (oldest.issuedAt >= expiredBefore && this.#issued.size <= this.#maxTracked) break;
      this.#issued.delete(oldest.key);
    }
  }

  /** Whether the nonce is ours (signature) and still fresh. */
  check(nonce: string): NonceStatus {
    const issuedAt = this.#issuedAt(nonce);
    if (issuedAt === null) return 'invalid';
    const age = this.#now() - issuedAt;
    // A nonce from the future is forged or from a clock that jumped; neither is usable.
    if (age < -1000) return 'invalid';
    return age > this.lifetimeMs ? 'stale' : 'valid';
  }

  /**
   * Records a nonce-count; call only after the digest response was verified, so that a
   * forged request cannot push the count up and lock the real client out.
   */
  useCount(nonce: string, nc: number): NonceCountResult {
    const issuedAt = this.#issuedAt(nonce);
    if (issuedAt === null) return 'stale';
    const tracked = this.#tracked.get(nonce);
    if (tracked) {
      if (nc <= tracked.highestNc) return 'replayed';
      tracked.highestNc = nc;
      return 'ok';
    }
    if (issuedAt <= this.#forgottenUpTo) return 'stale';
    // Answered: from now on its count is what is remembered. Under the nonce as we issued it, not
    // as the request carried it: that is a slice of the request's text, and would keep all of it.
    const key = this.#issued.get(nonce)?.key ?? detached(nonce);
    this.#issued.delete(nonce);
    this.#tracked.add({ key, highestNc: nc, issuedAt });
    this.#prune();
    return 'ok';
  }

  /** Number of nonces whose count is remembered (for tests and metrics). */
  get trackedCount(): number {
    return this.#tracked.size;
  }

  #prune(): void {
    const expiredBefore = this.#now() - this.lifetimeMs;
    for (let entry = this.#tracked.oldest(); entry; entry = this.#tracked.oldest()) {
      const expired = entry.issuedAt < expiredBefore;
      if (!expired && this.#tracked.size <= this.#maxTracked) break;
      // An expired nonce is refused as stale by check(), so it needs no memory.
      if (!expired) this.#forgottenUpTo = Math.max(this.#forgottenUpTo, entry.issuedAt);
      this.#tracked.delete(entry.key);
    }
  }

  #issuedAt(nonce: string): number | null {
    // A nonce waiting for its answer, or one already answered, is known to be ours.
    const known = this.#issued.get(nonce)?.issuedAt ?? this.#tracked.get(nonce)?.issuedAt;
    if (known !== undefined) return known;
    if (nonce.length !== Math.ceil((NONCE_BYTES * 4) / 3)) return null;
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) return null;
    const signed = bytes.subarray(0, TIME_BYTES + RANDOM_BYTES);
    const mac = bytes.subarray(TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(mac, this.#sign(signed))) return null;
    return Number(bytes.readBigUInt64BE(0));
  }

  #sign(data: Uint8Array): Buffer {
    return this.#mac.digest(data).subarray(0, MAC_BYTES);
  }
}
