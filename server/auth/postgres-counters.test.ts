import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database';
import { freshTestDatabase } from '../store/test-database';
import { postgresCounters } from './postgres-counters';
import { SignInLimiter } from './sign-in-limiter';

// Two limiters on one database stand for two servers.
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'sign-in counters in PostgreSQL (needs TEST_DATABASE_URL: a PostgreSQL to create databases on)',
  () => {
    let database: Database;
    let pool: pg.Pool;

    beforeAll(async () => {
      database = await freshTestDatabase('postgres');
      pool = (database.db as unknown as { $client: pg.Pool }).$client;
    });
    afterAll(() => database?.close());

    async function servers(count: number): Promise<SignInLimiter[]> {
      // Servers starting at once each make sure the table exists; they must not trip over each other.
      const stores = await Promise.all(Array.from({ length: count }, () => postgresCounters(pool)));
      return stores.map((store) => new SignInLimiter({ maxFailures: 3, windowMs: 60_000, store }));
    }

    it('counts failures made on either server together, for keys longer than 255 characters too', async () => {
      const [a, b] = await servers(2);
      const username = 'u'.repeat(300);
      const outcomes: string[] = [];
      for (const limiter of [a!, b!, a!, b!]) {
        const gate = await limiter.begin({ username, address: '192.0.2.7' });
        if (!gate.allowed) {
          outcomes.push(`refused ${gate.retryAfterSeconds} s`);
          continue;
        }
        await gate.attempt.failed();
        outcomes.push('checked');
      }
      expect(outcomes.slice(0, 3)).toEqual(['checked', 'checked', 'checked']);
      expect(outcomes[3]).toMatch(/^refused (59|60) s$/);
      // Another address may still try that user.
      expect((await a!.begin({ username, address: '192.0.2.8' })).allowed).toBe(true);
    });

    it('gives a right password’s points back on the other server as well', async () => {
      const [a, b] = await servers(2);
      const who = { username: 'returning', address: '192.0.2.9' };
      for (let i = 0; i < 2; i++) {
        const gate = await a!.begin(who);
        if (gate.allowed) await gate.attempt.failed();
      }
      const right = await b!.begin(who);
      if (!right.allowed) throw new Error('refused before the limit');
      await right.attempt.succeeded();
      // The count restarted: three more wrong ones are checked before a refusal.
      const outcomes: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        const gate = await (i % 2 ? a! : b!).begin(who);
        outcomes.push(gate.allowed);
        if (gate.allowed) await gate.attempt.failed();
      }
      expect(outcomes).toEqual([true, true, true, false]);
    });
  },
);
