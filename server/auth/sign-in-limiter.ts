import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';

/**
 * What one counter needs: the points a key has per window, the window in seconds, and a key
 * prefix for the library, always '': the limiter's keys name their counter themselves
 * (`signin_addr:…`, `signin_user_addr:…`, `signin_user:…`, the keys the library made from the
 * prefixes before), so that an attempt's one key string serves its take and its give-back and is
 * hashed once, not concatenated and hashed again by every operation.
 */
export type CounterOptions = { keyPrefix: ''; points: number; duration: number };

/**
 * Builds the counters. The default keeps them in this process's memory, right while one server
 * process answers. When several servers share a PostgreSQL database they count together in it
 * (postgres-counters.ts); nothing else changes.
 */
export type CounterStore = (options: CounterOptions) => RateLimiterAbstract;

export const memoryCounters: CounterStore = (options) => new RateLimiterMemory(options);

export type SignInLimiterOptions = {
  /** Wrong passwords per username and address in a window (SIGNIN_MAX_FAILURES). */
  maxFailures: number;
  /** The window (SIGNIN_WINDOW_SECONDS), whole seconds. */
  windowMs: number;
  /** An address may fail this many times more, across usernames: many agents may share a NAT. */
  addressFactor?: number;
  /** Past maxFailures for a username from all addresses, its answers wait this, doubling… */
  slowDownBaseMs?: number;
  /** …up to this. */
  slowDownMaxMs?: number;
  store?: CounterStore;
  sleep?: (ms: number) => Promise<void>;
};

/** Who is trying: the username (null for a credential that names no password of a user) and address. */
export type Attempter = { username: string | null; address: string };

export type Gate =
  /** Refused without checking the password. */
  { allowed: false; retryAfterSeconds: number } | { allowed: true; attempt: Attempt };

/** An attempt let through: say how it ended, once. */
export interface Attempt {
  /** The password was right: its points are given back and this address's count for the username restarts. */
  succeeded(): Promise<void>;
  /**
   * A wrong password (or unknown user): its points stay. Resolves to the seconds a next try from
   * this address must wait when this one used the last point, else 0.
   */
  failed(): Promise<number>;
  /** No password was tested (an expired nonce, an error): its points are given back. */
  abandoned(): Promise<void>;
}

/** The three counters, shared by the limiter and its attempts. */
type Counters = {
  readonly byAddress: RateLimiterAbstract;
  readonly byUserAndAddress: RateLimiterAbstract;
  readonly byUser: RateLimiterAbstract;
};

const KEY_LENGTH = 256;

/**
 * Limits password guessing, for the web sign-in and the SIP digest alike: one instance serves
 * both, so a guess counts wherever it is made.
 *
 * - per username and address: `maxFailures` wrong passwords in a window, then refused;
 * - per address, whatever the usernames: `addressFactor` × that, then refused;
 * - per username from all addresses: never refused (else anyone could lock a user out), but past
 *   `maxFailures` every answer for it waits longer, doubling up to a few seconds.
 *
 * An attempt is counted BEFORE its password is checked (a point taken from each counter), so
 * attempts sent at once cannot all pass a check made before any of them failed. A right
 * password gives its points back; a refused attempt gives back what it took. Windows are fixed:
 * they start with a key's first point.
 */
export class SignInLimiter {
  readonly #maxFailures: number;
  readonly #counters: Counters;
  readonly #slowDownBaseMs: number;
  readonly #slowDownMaxMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: SignInLimiterOptions) {
    const store = options.store ?? memoryCounters;
    const duration = Math.max(1, Math.ceil(options.windowMs / 1000));
    this.#maxFailures = options.maxFailures;
    this.#counters = {
      byAddress: store({
        keyPrefix: '',
        points: options.maxFailures * (options.addressFactor ?? 4),
        duration,
      }),
      byUserAndAddress: store({ keyPrefix: '', points: options.maxFailures, duration }),
      // Only counted, never refusing: its count sets the slow-down.
      byUser: store({ keyPrefix: '', points: Number.MAX_SAFE_INTEGER, duration }),
    };
    this.#slowDownBaseMs = options.slowDownBaseMs ?? 250;
    this.#slowDownMaxMs = options.slowDownMaxMs ?? 3000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Takes the attempt's points; resolves once it may check the password (after any slow-down).
   * The address first, then the username from it, then the username: a refusal takes no point
   * from the counters after the one that refused. Every SIP REGISTER with credentials comes
   * here, so the counters' promises are awaited as they are, without a wrapper each.
   */
  async begin(attempter: Attempter): Promise<Gate> {
    const { byAddress, byUserAndAddress, byUser } = this.#counters;
    const address = plainAddress(attempter.address).slice(0, KEY_LENGTH);
    const username = attempter.username?.slice(0, KEY_LENGTH) ?? null;
    const addressKey = `signin_addr:${address}`;

    let addressTaken: RateLimiterRes;
    try {
      addressTaken = await byAddress.consume(addressKey);
    } catch (rejection) {
      // The refused point was counted too: give it back.
      const refused = refusal(rejection);
      await giveBack(byAddress, addressKey);
      return { allowed: false, retryAfterSeconds: toSeconds(refused.msBeforeNext) };
    }
    if (username === null)
      return {
        allowed: true,
        attempt: new TakenAttempt(this.#counters, addressKey, addressTaken, null, '', null),
      };

    const pairKey = `signin_user_addr:${username} ${address}`;
    let pairTaken: RateLimiterRes;
    try {
      pairTaken = await byUserAndAddress.consume(pairKey);
    } catch (rejection) {
      const refused = refusal(rejection);
      await Promise.all([giveBack(byAddress, addressKey), giveBack(byUserAndAddress, pairKey)]);
      return { allowed: false, retryAfterSeconds: toSeconds(refused.msBeforeNext) };
    }

    const userKey = `signin_user:${username}`;
    let userTaken: RateLimiterRes;
    try {
      userTaken = await byUser.consume(userKey);
    } catch (rejection) {
      // It has more points than can be used; were they used, its count still sets the slow-down.
      userTaken = refusal(rejection);
    }
    const delay = this.slowDownMs(userTaken.consumedPoints - 1);
    if (delay > 0) await this.#sleep(delay);
    return {
      allowed: true,
      attempt: new TakenAttempt(this.#counters, addressKey, addressTaken, userKey, pairKey, pairTaken),
    };
  }

  /** How long an answer for a username waits, given its failures (and attempts in flight) before it. */
  slowDownMs(failuresBefore: number): number {
    if (failuresBefore < this.#maxFailures) return 0;
    const doublings = Math.min(failuresBefore - this.#maxFailures, 30);
    return Math.min(this.#slowDownMaxMs, this.#slowDownBaseMs * 2 ** doublings);
  }
}

/**
 * An attempt's points, to be settled once. A class with plain fields rather than an object of
 * closures or a list of what was taken: every SIP REGISTER and INVITE with credentials makes one.
 */
class TakenAttempt implements Attempt {
  #settled = false;

  constructor(
    private readonly counters: Counters,
    private readonly addressKey: string,
    private readonly addressTaken: RateLimiterRes,
    /** Null for an attempt naming no user: it took the address's point only. */
    private readonly userKey: string | null,
    private readonly pairKey: string,
    private readonly pairTaken: RateLimiterRes | null,
  ) {}

  /**
   * Every point back, and the username's count from this address restarts: that key is
   * dropped, and the username's own key too once nothing is left on it, so a user who signed
   * in keeps no counter (in memory a record and an expiry timer each) for the window's 15
   * minutes. Tens of thousands of registered phones kept two each (≈ 0.3 KB a phone); a phone's
   * refreshes no longer come here (see Authenticator.authenticate), so nothing is made again
   * for them. The address's key is shared by everyone behind it and stays unless below zero.
   */
  succeeded(): Promise<void> {
    return this.#giveBackAll(true);
  }

  async failed(): Promise<number> {
    this.#settle();
    // The wait when this attempt used a limiting counter's last point.
    let ms = 0;
    if (this.addressTaken.remainingPoints === 0) ms = this.addressTaken.msBeforeNext;
    if (this.pairTaken !== null && this.pairTaken.remainingPoints === 0)
      ms = Math.max(ms, this.pairTaken.msBeforeNext);
    return toSeconds(ms);
  }

  abandoned(): Promise<void> {
    return this.#giveBackAll(false);
  }

  #settle(): void {
    if (this.#settled) throw new Error('This sign-in attempt has already been settled');
    this.#settled = true;
  }

  /**
   * Settles the attempt (rejecting when it was settled already) and gives its points back: a
   * reward on each counter at once, then, rarely, a key dropped (see giveBack, succeeded).
   */
  async #giveBackAll(restartPair: boolean): Promise<void> {
    this.#settle();
    const { byAddress, byUserAndAddress, byUser } = this.counters;
    const { addressKey, userKey, pairKey } = this;
    if (userKey === null) return giveBack(byAddress, addressKey);
    const [a, p, u] = await Promise.all([
      byAddress.reward(addressKey),
      byUserAndAddress.reward(pairKey),
      byUser.reward(userKey),
    ]);
    const dropPair = restartPair || p.consumedPoints < 0;
    const dropUser = restartPair ? u.consumedPoints <= 0 : u.consumedPoints < 0;
    if (a.consumedPoints < 0 || dropPair || dropUser)
      await Promise.all([
        a.consumedPoints < 0 && byAddress.delete(addressKey),
        dropPair && byUserAndAddress.delete(pairKey),
        dropUser && byUser.delete(userKey),
      ]);
  }
}

/**
 * The limiter the configuration asks for (SIGNIN_MAX_FAILURES, SIGNIN_WINDOW_SECONDS), its
 * counters in `store` (memory by default; see postgres-counters.ts for several servers).
 */
export function signInLimiterFor(
  config: Pick<Config, 'signInMaxFailures' | 'signInWindowMs'>,
  store?: CounterStore,
): SignInLimiter {
  return new SignInLimiter({ maxFailures: config.signInMaxFailures, windowMs: config.signInWindowMs, store });
}

/** rate-limiter-flexible rejects with a RateLimiterRes when the points are spent; anything else is an error. */
function refusal(rejection: unknown): RateLimiterRes {
  if (rejection instanceof RateLimiterRes) return rejection;
  throw rejection;
}

/** A point back on one counter. */
async function giveBack(counter: RateLimiterAbstract, key: string): Promise<void> {
  const after = await counter.reward(key);
  // The window ended meanwhile: the reward opened a new one below zero; drop it.
  if (after.consumedPoints < 0) await counter.delete(key);
}

function toSeconds(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d; the SIP edge strips that too. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
