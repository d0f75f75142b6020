import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contracts/events';
import { createLogger } from '../log';
import { EventBus } from './event-bus';
import type { Db } from '../store/database';
import { announceToServers, encodePayloads, MAX_PAYLOAD_BYTES, PgEventBridge } from './pg-event-bridge';

const url = process.env.TEST_DATABASE_URL;

describe('encodePayloads', () => {
  it('sends each change once, in payloads PostgreSQL accepts, and a too-long id as null', () => {
    const events: LiveEvent[] = Array.from({ length: 3000 }, (_, i) => ({ entity: 'user', id: i }));
    events.push({ entity: 'user', id: 7 }, { entity: 'profile', id: 'x'.repeat(9000) });
    const payloads = encodePayloads('origin', events);
    expect(payloads.length).toBeGreaterThan(1);
    const pairs = payloads.flatMap((payload) => {
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
      const parsed = JSON.parse(payload) as { o: string; e: unknown[] };
      expect(parsed.o).toBe('origin');
      return parsed.e;
    });
    expect(pairs).toHaveLength(3001);
    expect(pairs.filter((pair) => JSON.stringify(pair) === '["user",7]')).toHaveLength(1);
    expect(pairs.at(-1)).toEqual(['profile', null]);
  });
});

// Two bridges on one PostgreSQL stand for two servers; each test has a channel of its own.
describe.skipIf(!url)('PgEventBridge (needs TEST_DATABASE_URL: a PostgreSQL to LISTEN on)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function server(channel?: string) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const lines: string[] = [];
    const log = createLogger('info', (line) => {
      lines.push(line);
      return true;
    });
    const bus = new EventBus();
    const heard: LiveEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    const bridge = await PgEventBridge.start({ url: url!, pool, bus, log, channel, retryMs: [100] });
    cleanup.push(async () => {
      await bridge.close();
      await pool.end();
    });
    return { bus, bridge, heard, lines };
  }

  function channel(): string {
    return `sb_test_events_${randomBytes(4).toString('hex')}`;
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('delivers one server’s events to the other, and to itself once', async () => {
    const name = channel();
    const a = await server(name);
    const b = await server(name);
    a.bus.publish({ entity: 'user', id: 5 }, { entity: 'profile', id: null });
    b.bus.publish({ entity: 'group', id: 'night' });
    await until(() => b.heard.length === 3 && a.heard.length === 3, 'both heard all three');
    // Let a NOTIFY that came back to its sender arrive, if it were applied.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.heard).toEqual([
      { entity: 'group', id: 'night' },
      { entity: 'user', id: 5 },
      { entity: 'profile', id: null },
    ]);
    expect(a.heard).toEqual([
      { entity: 'user', id: 5 },
      { entity: 'profile', id: null },
      { entity: 'group', id: 'night' },
    ]);
  });

  it('carries a burst larger than one payload', async () => {
    const name = channel();
    const a = await server(name);
    const b = await server(name);
    for (let i = 0; i < 2000; i++) a.bus.publish({ entity: 'agent', id: i });
    await until(() => b.heard.length === 2000, 'the other server heard 2000 events');
    expect(new Set(b.heard.map((event) => event.id)).size).toBe(2000);
  });

  it('listens again after its connection is killed, says so, and announces everything as changed', async () => {
    const name = channel();
    const a = await server(name);
    const b = await server(name);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanup.push(() => admin.end());
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`switchboard events ${b.bridge.origin}`],
    );
    expect(killed.rowCount).toBe(1);
    await until(() => b.lines.some((line) => line.includes('Hearing other servers')), 'it listened again');
    expect(b.lines[0]).toMatch(/WARN .*Lost the PostgreSQL connection that hears other servers' live events/);
    expect(b.lines[1]).toMatch(/INFO .*Hearing other servers' live events again after [\d.]+ s/);
    expect(b.heard).toContainEqual({ entity: 'user', id: null });
    expect(b.heard).toContainEqual({ entity: 'profile', id: null });
    expect(b.bridge.listening).toBe(true);
    b.heard.length = 0;
    a.bus.publish({ entity: 'user', id: 9 });
    await until(() => b.heard.length === 1, 'the other server heard the next change');
    expect(b.heard).toEqual([{ entity: 'user', id: 9 }]);
  });

  it('hears changes another program announces (the CLI on a shared PostgreSQL)', async () => {
    const b = await server();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    cleanup.push(() => pool.end());
    await announceToServers(drizzle(pool) as unknown as Db, [{ entity: 'user', id: null }]);
    await until(() => b.heard.length > 0, 'the server heard the announcement');
    expect(b.heard).toEqual([{ entity: 'user', id: null }]);
  });
});
