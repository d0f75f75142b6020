import pg from 'pg';
import { postgresCounters } from '../auth/postgres-counters';
import type { CounterStore } from '../auth/sign-in-limiter';
import type { Logger } from '../log';
import { EventBus } from './event-bus';
import { PgEventBridge } from './pg-event-bridge';

/**
 * What Switchboard servers on one PostgreSQL share beyond its tables: the live events (each
 * server's bus is bridged to the others through LISTEN/NOTIFY) and the sign-in counters.
 * Pass both to createSwitchboardServer; PGlite (one process) needs neither.
 */
export type SharedDatabase = {
  events: EventBus;
  counters: CounterStore;
  bridge: PgEventBridge;
  close(): Promise<void>;
};

export async function shareDatabase(options: {
  url: string;
  log: Logger;
  /** Tests only: a channel of their own. */
  channel?: string;
}): Promise<SharedDatabase> {
  // NOTIFY and the counters: short queries, a few connections are plenty; a database that stops
  // answering fails them within seconds instead of holding requests.
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    connectionTimeoutMillis: 5000,
    query_timeout: 5000,
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  try {
    const counters = await postgresCounters(pool);
    const events = new EventBus();
    const bridge = await PgEventBridge.start({ ...options, pool, bus: events });
    return {
      events,
      counters,
      bridge,
      async close() {
        await bridge.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
