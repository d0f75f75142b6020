import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';

/** What one counter needs: a key prefix, the points a key has per window, the window in seconds. */
export type CounterOptions = { keyPrefix: string; points: number; duration: number };

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

type Taken = { counter: RateLimiterAbstract; key: string; result: RateLimiterRes; limits: boolean };

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
  readonly #byUserAndAddress: RateLimiterAbstract;
  readonly #byAddress: RateLimiterAbstract;
  readonly #byUser: RateLimiterAbstract;
  readonly #slowDownBaseMs: number;
  readonly #slowDownMaxMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: SignInLimiterOptions) {
    const store = options.store ?? memoryCounters;
    const duration = Math.max(1, Math.ceil(options.windowMs / 1000));
    this.#maxFailures = options.maxFailures;
    this.#byUserAndAddress = store({ keyPrefix: 'signin_user_addr', points: options.maxFailures, duration });
    this.#byAddress = store({
      keyPrefix: 'signin_addr',
      points: options.maxFailures * (options.addressFactor ?? 4),
      duration,
    });
    // Only counted, never refusing: its count sets the slow-down.
    this.#byUser = store({ keyPrefix: 'signin_user', points: Number.MAX_SAFE_INTEGER, duration });
    this.#slowDownBaseMs = options.slowDownBaseMs ?? 250;
    this.#slowDownMaxMs = options.slowDownMaxMs ?? 3000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Takes the attempt's points; resolves once it may check the password (after any slow-down). */
  async begin(attempter: Attempter): Promise<Gate> {
    const address = plainAddress(attempter.address).slice(0, KEY_LENGTH);
    const username = attempter.username?.slice(0, KEY_LENGTH) ?? null;
    const limited: [RateLimiterAbstract, string][] = [[this.#byAddress, address]];
    if (username !== null) limited.push([this.#byUserAndAddress, `${username} ${address}`]);

    const taken: Taken[] = [];
    for (const [counter, key] of limited) {
      const outcome = await consume(counter, key);
      if (!outcome.ok) {
        // The refused point was counted too: give back everything this attempt took.
        await giveBack([...taken, { counter, key, result: outcome.result, limits: true }]);
        return { allowed: false, retryAfterSeconds: toSeconds(outcome.result.msBeforeNext) };
      }
      taken.push({ counter, key, result: outcome.result, limits: true });
    }
    if (username !== null) {
      const outcome = await consume(this.#byUser, username);
      taken.push({ counter: this.#byUser, key: username, result: outcome.result, limits: false });
      const delay = this.slowDownMs(outcome.result.consumedPoints - 1);
      if (delay > 0) await this.#sleep(delay);
    }
    return { allowed: true, attempt: this.#attempt(taken) };
  }

  /** How long an answer for a username waits, given its failures (and attempts in flight) before it. */
  slowDownMs(failuresBefore: number): number {
    if (failuresBefore < this.#maxFailures) return 0;
    const doublings = Math.min(failuresBefore - this.#maxFailures, 30);
    return Math.min(this.#slowDownMaxMs, this.#slowDownBaseMs * 2 ** doublings);
  }

  #attempt(taken: Taken[]): Attempt {
    return new TakenAttempt(taken, this.#byUserAndAddress);
  }
}

/**
 * An attempt's points, to be settled once. A class rather than an object of closures: every
 * SIP REGISTER and INVITE with credentials makes one, and the closures (named, under tsx) were
 * 1 % of a registration's CPU in bench:sip.
 */
class TakenAttempt implements Attempt {
  #settled = false;

  constructor(
    private readonly taken: readonly Taken[],
    private readonly byUserAndAddress: RateLimiterAbstract,
  ) {}

  async succeeded(): Promise<void> {
    this.#settle();
    await Promise.all(
      this.taken.map((t) => (t.counter === this.byUserAndAddress ? t.counter.delete(t.key) : giveBack([t]))),
    );
  }

  async failed(): Promise<number> {
    this.#settle();
    const used = this.taken.filter((t) => t.limits && t.result.remainingPoints === 0);
    return toSeconds(Math.max(0, ...used.map((t) => t.result.msBeforeNext)));
  }

  async abandoned(): Promise<void> {
    this.#settle();
    await giveBack(this.taken);
  }

  #settle(): void {
    if (this.#settled) throw new Error('This sign-in attempt has already been settled');
    this.#settled = true;
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

type Consumed = { ok: boolean; result: RateLimiterRes };

/** rate-limiter-flexible rejects with a RateLimiterRes when the points are spent; anything else is an error. */
async function consume(counter: RateLimiterAbstract, key: string): Promise<Consumed> {
  try {
    return { ok: true, result: await counter.consume(key) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { ok: false, result: rejection };
    throw rejection;
  }
}

async function giveBack(taken: readonly Taken[]): Promise<void> {
  await Promise.all(
    taken.map(async ({ counter, key }) => {
      const after = await counter.reward(key);
      // The window ended meanwhile: the reward opened a new one below zero; drop it.
      if (after.consumedPoints < 0) await counter.delete(key);
    }),
  );
}

function toSeconds(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** IPv4 clients of a dual-stack listener appear as ::ffff:a.b.c.d; the SIP edge strips that too. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
