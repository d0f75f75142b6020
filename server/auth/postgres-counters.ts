import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { CounterStore } from './sign-in-limiter';

/** The table rate-limiter-flexible keeps the sign-in counters in, shared by every server. */
export const COUNTER_TABLE = 'sign_in_counters';

/** Any fixed number: servers starting at once take turns creating the table. */
const CREATE_LOCK = 0x53_42_52_4c;

/**
 * Sign-in counters in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres), so that wrong
 * passwords count together on every server sharing the database. The table is made here, once,
 * under an advisory lock (the library's own CREATE TABLE races when servers start together),
 * with a text key: a key holds a username and an address, longer than the library's 255.
 */
export async function postgresCounters(pool: pg.Pool): Promise<CounterStore> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [CREATE_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${COUNTER_TABLE} (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [CREATE_LOCK]);
    }
  } finally {
    client.release();
  }
  return (options) =>
    new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      storeType: 'pool',
      tableName: COUNTER_TABLE,
      tableCreated: true,
      // Rows of windows that ended an hour ago are swept every five minutes.
      clearExpiredByTimeout: true,
    });
}
