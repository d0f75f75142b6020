import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { eventEntities, liveEventSchema, type LiveEvent } from '../../contracts/events';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { EventBus } from './event-bus';

/** The NOTIFY channel every Switchboard server on one database listens on. */
export const EVENTS_CHANNEL = 'switchboard_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below. */
export const MAX_PAYLOAD_BYTES = 7900;

/** Events waiting for NOTIFY past which they are sent as one per kind. */
const MAX_QUEUED = 10_000;

/** Waits before each new attempt to listen again, the last one repeated. */
const RETRY_MS = [250, 1000, 2000, 5000, 10_000] as const;

export type PgEventBridgeOptions = {
  /** The PostgreSQL every server shares (DATABASE_URL). */
  url: string;
  /** NOTIFY is sent through this pool (the listening connection only listens). */
  pool: pg.Pool;
  bus: EventBus;
  log: Logger;
  /** Tests use their own channel so that parallel runs do not hear each other. */
  channel?: string;
  retryMs?: readonly number[];
};

/** `{o: origin, e: [[entity, id], …]}`: who sent it, and what changed. */
type Payload = { o: string; e: [string, number | string | null][] };

/**
 * Carries live events between Switchboard servers on one PostgreSQL: what this server publishes
 * is sent with NOTIFY (tagged with this server's origin, in payloads below 8000 bytes), and what
 * the others send arrives on a dedicated LISTEN connection and is delivered to this server's
 * listeners only, so the directory, the session cache and `/api/events` streams hear every
 * server's changes. The listening connection comes back by itself when it drops; since
 * changes may have been missed meanwhile, every kind of data is then announced as changed.
 */
export class PgEventBridge {
  /** Tags this server's payloads, so it does not apply its own events twice. */
  readonly origin = randomBytes(8).toString('hex');
  readonly #options: PgEventBridgeOptions;
  readonly #channel: string;
  readonly #retryMs: readonly number[];
  readonly #stopRelay: () => void;
  #client: pg.Client | null = null;
  #listening = false;
  #downSince: number | null = null;
  #attempts = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #queue: LiveEvent[] = [];
  #sending: Promise<void> | null = null;
  #sendFailing = false;
  #closed = false;

  private constructor(options: PgEventBridgeOptions) {
    this.#options = options;
    this.#channel = options.channel ?? EVENTS_CHANNEL;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.#channel))
      throw new Error(`The channel name ${JSON.stringify(this.#channel)} is not a plain identifier.`);
    this.#retryMs = options.retryMs ?? RETRY_MS;
    this.#stopRelay = options.bus.relayTo((events) => this.#send(events));
  }

  /**
   * Starts relaying and listening; resolves after the first attempt to listen. When that fails
   * the failure is logged and it keeps trying in the background.
   */
  static async start(options: PgEventBridgeOptions): Promise<PgEventBridge> {
    const bridge = new PgEventBridge(options);
    await bridge.#listen();
    return bridge;
  }

  /** Whether other servers' events are being heard right now. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Sends what is still queued, then stops listening. */
  async close(): Promise<void> {
    this.#stopRelay();
    await this.#sending;
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    this.#listening = false;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.url,
      // Names this server's listener in pg_stat_activity.
      application_name: `switchboard events ${this.origin}`,
      // A database that does not answer must not hold the start up: it is retried as a drop.
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.#client = client;
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.#channel && message.payload) this.#heard(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#listening = true;
    this.#attempts = 0;
    if (this.#downSince !== null) {
      const seconds = ((Date.now() - this.#downSince) / 1000).toFixed(1);
      this.#downSince = null;
      this.#options.log.info(
        `Hearing other servers' live events again after ${seconds} s; everything is reloaded in case a change was missed meanwhile.`,
      );
      this.#options.bus.deliver(...eventEntities.map((entity) => ({ entity, id: null })));
    }
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = null;
    this.#listening = false;
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.#downSince === null) {
      this.#downSince = Date.now();
      this.#options.log.warn(
        `Lost the PostgreSQL connection that hears other servers' live events (${reason(error)}); reconnecting. Meanwhile their changes reach this server only through its periodic reloads.`,
      );
    }
    const wait = this.#retryMs[Math.min(this.#attempts, this.#retryMs.length - 1)] ?? 1000;
    this.#attempts++;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (!this.#closed) void this.#listen();
    }, wait);
    this.#retry.unref();
  }

  #heard(text: string): void {
    let payload: Partial<Payload>;
    try {
      payload = JSON.parse(text) as Partial<Payload>;
    } catch {
      return;
    }
    if (payload.o === this.origin || typeof payload.o !== 'string' || !Array.isArray(payload.e)) return;
    const events: LiveEvent[] = [];
    for (const pair of payload.e) {
      if (!Array.isArray(pair)) continue;
      const parsed = liveEventSchema.safeParse({ entity: pair[0], id: pair[1] });
      if (parsed.success) events.push(parsed.data);
    }
    if (events.length) this.#options.bus.deliver(...events);
  }

  #send(events: readonly LiveEvent[]): void {
    if (this.#closed) return;
    this.#queue.push(...events);
    // NOTIFY stalls (the database is slow or away): what waits becomes "this kind changed".
    if (this.#queue.length > MAX_QUEUED)
      this.#queue = [...new Set(this.#queue.map((event) => event.entity))].map((entity) => ({
        entity,
        id: null,
      }));
    this.#sending ??= this.#flush().finally(() => {
      this.#sending = null;
    });
  }

  /** One NOTIFY at a time, in order; what is published meanwhile goes out together next. */
  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0);
      for (const payload of encodePayloads(this.origin, batch)) {
        try {
          await this.#options.pool.query('SELECT pg_notify($1, $2)', [this.#channel, payload]);
          if (this.#sendFailing) {
            this.#sendFailing = false;
            this.#options.log.info('Telling other servers about changes again.');
          }
        } catch (error) {
          if (!this.#sendFailing)
            this.#options.log.warn(
              `Could not tell other servers about a change (${reason(error)}); they see it at their next periodic reload.`,
            );
          this.#sendFailing = true;
        }
      }
    }
  }
}

/**
 * Tells every server on this PostgreSQL about changes made by another program (the CLI), as a
 * server's own changes are told: their copies reload and sessions a reset ended are refused at once.
 */
export async function announceToServers(db: Db, events: readonly LiveEvent[]): Promise<void> {
  for (const payload of encodePayloads(`cli-${process.pid}`, events))
    await db.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`);
}

/**
 * The payloads for these events: each change once, as few payloads as fit below
 * MAX_PAYLOAD_BYTES. An id too long to fit is sent as null (the receivers reload that kind).
 */
export function encodePayloads(origin: string, events: readonly LiveEvent[]): string[] {
  const seen = new Set<string>();
  const pairs: string[] = [];
  for (const { entity, id } of events) {
    let pair = JSON.stringify([entity, id]);
    if (Buffer.byteLength(pair) > MAX_PAYLOAD_BYTES / 2) pair = JSON.stringify([entity, null]);
    if (seen.has(pair)) continue;
    seen.add(pair);
    pairs.push(pair);
  }
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  const payloads: string[] = [];
  let current: string[] = [];
  let size = Buffer.byteLength(head) + 2;
  for (const pair of pairs) {
    const bytes = Buffer.byteLength(pair) + 1;
    if (current.length && size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(`${head}${current.join(',')}]}`);
      current = [];
      size = Buffer.byteLength(head) + 2;
    }
    current.push(pair);
    size += bytes;
  }
  if (current.length) payloads.push(`${head}${current.join(',')}]}`);
  return payloads;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
