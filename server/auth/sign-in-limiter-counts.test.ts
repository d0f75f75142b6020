import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database';
import { freshTestDatabase } from '../store/test-database';
import { COUNTER_TABLE, postgresCounters } from './postgres-counters';
import { memoryCounters, SignInLimiter, type Attempt, type CounterStore } from './sign-in-limiter';

// What each counter holds after an attempt is settled, read from the counters themselves: the
// points a settled attempt leaves must not depend on how the limiter gives them back.

type Counts = { address: number; pair: number; user: number };

type Backend = { name: string; store: () => CounterStore };

const backends: Backend[] = [{ name: 'in memory', store: () => memoryCounters }];
let database: Database | undefined;
let postgres: CounterStore | undefined;
if (process.env.TEST_DATABASE_URL)
  backends.push({
    name: 'in PostgreSQL',
    store: () => {
      if (!postgres) throw new Error('The PostgreSQL counters were not made before the test.');
      return postgres;
    },
  });

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  database = await freshTestDatabase('postgres');
  postgres = await postgresCounters((database.db as unknown as { $client: pg.Pool }).$client);
});
afterAll(() => database?.close());

/** A limiter whose counters can be read, with usernames and an address no other test uses. */
function setUp(backend: Backend, windowMs = 60_000) {
  const counters: RateLimiterAbstract[] = [];
  const inner = backend.store();
  const limiter = new SignInLimiter({
    maxFailures: 3,
    windowMs,
    sleep: () => Promise.resolve(),
    store: (options) => {
      const counter = inner(options);
      counters.push(counter);
      return counter;
    },
  });
  const tag = randomUUID().slice(0, 8);
  const address = `10.${tag}`;
  const user = (name = 'agent') => `${name}-${tag}`;
  /** A counter found by its points, read at the key it stores: its name, then the limiter's key. */
  async function count(points: number, name: string, key: string): Promise<number> {
    const counter = counters.find((c) => c.points === points);
    if (!counter) throw new Error(`no counter of ${points} points`);
    // The limiter puts the name in front itself (keyPrefix ''); a store given the name would.
    return (await counter.get(counter.keyPrefix ? key : `${name}:${key}`))?.consumedPoints ?? 0;
  }
  /** Whether the username's two counters hold a key at all (a count at 0 may or may not). */
  async function held(name = 'agent'): Promise<{ pair: boolean; user: boolean }> {
    const at = async (points: number, stored: string) => {
      const counter = counters.find((c) => c.points === points);
      return (await counter?.get(stored)) != null;
    };
    return {
      pair: await at(3, `signin_user_addr:${user(name)} ${address}`),
      user: await at(Number.MAX_SAFE_INTEGER, `signin_user:${user(name)}`),
    };
  }
  async function counts(name = 'agent'): Promise<Counts> {
    return {
      address: await count(12, 'signin_addr', address),
      pair: await count(3, 'signin_user_addr', `${user(name)} ${address}`),
      user: await count(Number.MAX_SAFE_INTEGER, 'signin_user', user(name)),
    };
  }
  async function begin(name: string | null = 'agent'): Promise<Attempt> {
    const gate = await limiter.begin({ username: name === null ? null : user(name), address });
    if (!gate.allowed) throw new Error(`refused for ${gate.retryAfterSeconds} s`);
    return gate.attempt;
  }
  async function failures(n: number, name = 'agent') {
    for (let i = 0; i < n; i++) await (await begin(name)).failed();
  }
  return { counts, held, begin, failures, address, user, tag };
}

const settle = {
  succeeded: (attempt: Attempt) => attempt.succeeded(),
  failed: (attempt: Attempt) => attempt.failed(),
  abandoned: (attempt: Attempt) => attempt.abandoned(),
};

describe.each(backends)('sign-in counts $name', (backend) => {
  // [failures before, how the attempt ends, counts after]
  const cases: [number, keyof typeof settle, Counts][] = [
    [0, 'succeeded', { address: 0, pair: 0, user: 0 }],
    [0, 'failed', { address: 1, pair: 1, user: 1 }],
    [0, 'abandoned', { address: 0, pair: 0, user: 0 }],
    [2, 'succeeded', { address: 2, pair: 0, user: 2 }],
    [2, 'failed', { address: 3, pair: 3, user: 3 }],
    [2, 'abandoned', { address: 2, pair: 2, user: 2 }],
  ];
  it.each(cases)('after %i failures, an attempt that %s leaves %o', async (before, how, after) => {
    const { counts, begin, failures } = setUp(backend);
    await failures(before);
    const attempt = await begin();
    expect(await counts()).toEqual({ address: before + 1, pair: before + 1, user: before + 1 });
    await settle[how](attempt);
    expect(await counts()).toEqual(after);
  });

  it('a success restarts the count for the username from the address, twice in a row too', async () => {
    const { counts, begin, failures } = setUp(backend);
    await (await begin()).succeeded();
    await (await begin()).succeeded();
    expect(await counts()).toEqual({ address: 0, pair: 0, user: 0 });
    await failures(1);
    expect(await counts()).toEqual({ address: 1, pair: 1, user: 1 });
    await (await begin()).succeeded();
    await failures(3);
    expect(await counts()).toEqual({ address: 4, pair: 3, user: 4 });
  });

  it('a success leaves no counter of the username behind, unless attempts are in flight elsewhere', async () => {
    const { held, begin } = setUp(backend);
    await (await begin()).succeeded();
    expect(await held()).toEqual({ pair: false, user: false });
    const inFlight = await begin();
    await (await begin()).succeeded();
    expect(await held()).toEqual({ pair: false, user: true });
    await inFlight.abandoned();
  });

  it('a success forgives the attempts in flight from the address for the username too', async () => {
    const { counts, begin } = setUp(backend);
    const first = await begin();
    const second = await begin();
    await first.succeeded();
    expect(await counts()).toEqual({ address: 1, pair: 0, user: 1 });
    await second.failed();
    expect(await counts()).toEqual({ address: 1, pair: 0, user: 1 });

    const third = await begin();
    const fourth = await begin();
    await third.abandoned();
    expect(await counts()).toEqual({ address: 2, pair: 1, user: 2 });
    await fourth.succeeded();
    expect(await counts()).toEqual({ address: 1, pair: 0, user: 1 });
  });

  it('a refused attempt leaves every count as it was', async () => {
    const { counts, begin, failures } = setUp(backend);
    await failures(3);
    // Refused for the username from the address: the address had points left.
    await expect(begin()).rejects.toThrow(/refused/);
    expect(await counts()).toEqual({ address: 3, pair: 3, user: 3 });
    for (let i = 0; i < 9; i++) await failures(1, `other${i}`);
    // Refused for the address: no username from it is counted.
    await expect(begin('fresh')).rejects.toThrow(/refused/);
    expect(await counts()).toEqual({ address: 12, pair: 3, user: 3 });
    expect(await counts('fresh')).toEqual({ address: 12, pair: 0, user: 0 });
  });

  it('an attempt naming no user counts for the address only', async () => {
    const { counts, begin } = setUp(backend);
    await (await begin(null)).failed();
    await (await begin(null)).succeeded();
    await (await begin(null)).abandoned();
    expect(await counts()).toEqual({ address: 1, pair: 0, user: 0 });
  });

  it('an attempt settled after its window ended leaves nothing below zero', async () => {
    const { counts, begin } = setUp(backend, 1000);
    const attempts = await Promise.all(['a', 'b', 'c'].map((name) => begin(name)));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await attempts[0]!.succeeded();
    await attempts[1]!.failed();
    await attempts[2]!.abandoned();
    for (const name of ['a', 'b', 'c']) expect(await counts(name)).toEqual({ address: 0, pair: 0, user: 0 });
    // The next attempt starts from nothing.
    await (await begin('a')).failed();
    expect(await counts('a')).toEqual({ address: 1, pair: 1, user: 1 });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'sign-in counter rows in PostgreSQL (needs TEST_DATABASE_URL: a PostgreSQL to create databases on)',
  () => {
    it('keeps each count in a row keyed by the counter’s name and the key, as servers before did', async () => {
      const backend = backends[1]!;
      const { begin, failures, address, user, tag } = setUp(backend);
      await failures(2);
      await (await begin('other')).succeeded();
      const pool = (database!.db as unknown as { $client: pg.Pool }).$client;
      const rows = await pool.query<{ key: string; points: number }>(
        // A count at 0 is no count, whether its row stays or went.
        `SELECT key, points FROM ${COUNTER_TABLE} WHERE key LIKE $1 AND points <> 0 ORDER BY key`,
        [`%${tag}%`],
      );
      expect(rows.rows).toEqual([
        { key: `signin_addr:${address}`, points: 2 },
        { key: `signin_user:${user()}`, points: 2 },
        { key: `signin_user_addr:${user()} ${address}`, points: 2 },
      ]);
    });
  },
);
