import type { LiveEvent } from '../../contracts/events';
import type { QueueOverflow } from '../../contracts/queues';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import {
  fillQueueCallCaller,
  insertQueueCalls,
  markQueueCallAnswered,
  markQueueCallEnded,
  markQueueCallLeft,
  markQueueCallOffered,
  markWrapUpEnded,
} from '../store/queue-calls-repository';
import { findQueue } from '../store/queues-repository';
import { findUser } from '../store/users-repository';
import type { QueueCallMove } from './agent-states';
import type { QueueCallLog } from './queue-ports';

/**
 * How long a new visit waits before it is written. PGlite runs each query on the SIP edge's
 * only thread: written as the call arrived (three queries, then one per offer), a burst of 100
 * callers spent more of that thread in the database than in offering the calls
 * (`BENCH_QUEUE_PROFILE=dir npm run bench:queue`). Gathered for a moment, the burst's visits are
 * one insert, made after the offers went out, with the offers made meanwhile already counted.
 */
export const QUEUE_LOG_WRITE_DELAY_MS = 300;

/** A visit not written yet: its offers are counted here until its row is inserted. */
type Unwritten = {
  callId: string;
  queueId: number;
  enteredAt: Date;
  offers: number;
  written: (id: number | null) => void;
};

/**
 * The queue engine's QueueCallLog on the store: one `queue_calls` row per visit of a call to a
 * queue (`queued` opens it; `answered`, `abandoned` or `overflowed` settles it; an overflow to
 * another queue is a new `queued` there). The agent's side comes from the AgentBoard's moves:
 * each offer, the end of the answered call, the end of its wrap-up. A call's writes run in
 * order (the row exists before it is updated) without holding up the engine, new visits
 * gathered into one insert (QUEUE_LOG_WRITE_DELAY_MS); a failed write is
 * logged and the call's later writes skip it. A `call` event after each write refreshes the
 * wallboard. Waits are per visit, from the visit's start; `at` is for tests.
 */
export class StoreQueueCallLog implements QueueCallLog {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #publish: (event: LiveEvent) => void;
  /** The open visit of each call: its row id once inserted, null when that failed. */
  readonly #visits = new Map<string, Promise<number | null>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #writeDelayMs: number;
  /** Visits waiting for the next insert, in arrival order; by call, the one not written yet. */
  #unwritten: Unwritten[] = [];
  readonly #unwrittenOf = new Map<string, Unwritten>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: { db: Db; log: Logger; publish: (event: LiveEvent) => void; writeDelayMs?: number }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#publish = options.publish;
    this.#writeDelayMs = options.writeDelayMs ?? QUEUE_LOG_WRITE_DELAY_MS;
  }

  queued(callId: string, queueId: number, at = new Date()): void {
    const previous = this.#visits.get(callId) ?? Promise.resolve(null);
    let written: (id: number | null) => void = () => undefined;
    const inserted = new Promise<number | null>((resolve) => (written = resolve));
    const entry: Unwritten = { callId, queueId, enteredAt: at, offers: 0, written };
    this.#unwritten.push(entry);
    this.#unwrittenOf.set(callId, entry);
    // The call's earlier visit is written to the end before this one counts as written.
    const visit = previous.then(() => inserted);
    this.#visits.set(callId, visit);
    this.#track(visit);
    if (!this.#timer) {
      this.#timer = setTimeout(() => this.#writeUnwritten(), this.#writeDelayMs);
      this.#timer.unref?.();
    }
  }

  answered(callId: string, _queueId: number, userId: number, _waitMs: number, at = new Date()): void {
    this.#then(callId, 'its answer', async (id) => {
      await markQueueCallAnswered(this.#db, id, userId, at);
      await fillQueueCallCaller(this.#db, id);
    });
  }

  abandoned(callId: string, _queueId: number, _waitMs: number, at = new Date()): void {
    this.#then(
      callId,
      'its abandon',
      async (id) => {
        await markQueueCallLeft(this.#db, id, { outcome: 'abandoned', at });
        await fillQueueCallCaller(this.#db, id);
      },
      true,
    );
  }

  overflowed(callId: string, _queueId: number, _waitMs: number, to: QueueOverflow, at = new Date()): void {
    this.#then(
      callId,
      'its overflow',
      async (id) => {
        const overflowTo = await this.#describe(to);
        await markQueueCallLeft(this.#db, id, { outcome: 'overflowed', at, overflowTo });
        await fillQueueCallCaller(this.#db, id);
      },
      true,
    );
  }

  /** The agent's side of a queue call (wired to the AgentBoard's `queueCallMoved`). */
  moved(move: QueueCallMove): void {
    const { kind, callId, userId, at } = move;
    if (kind === 'offered') {
      const unwritten = this.#unwrittenOf.get(callId);
      if (unwritten) unwritten.offers += 1;
      else this.#then(callId, 'an offer', (id) => markQueueCallOffered(this.#db, id));
      return;
    }
    const after = this.#visits.get(callId) ?? Promise.resolve(null);
    const work = after.then(async () => {
      try {
        if (kind === 'ended') await markQueueCallEnded(this.#db, callId, userId, at);
        else await markWrapUpEnded(this.#db, callId, userId, at);
        this.#publish({ entity: 'call', id: callId });
      } catch (error) {
        this.#log.error(`Could not record the ${kind.replace(/_/g, ' ')} of queue call ${callId}`, error);
      }
    });
    this.#track(work);
    if (kind === 'ended') this.#forgetAfter(callId, after);
  }

  /** Writes what waits at once; resolves when every write asked for so far is done. */
  async settled(): Promise<void> {
    this.#writeUnwritten();
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }

  /** The server stops: the visits not written yet are written now. */
  close(): void {
    this.#writeUnwritten();
  }

  /** One insert for every visit waiting; each visit's later writes follow their row's. */
  #writeUnwritten(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#unwritten;
    if (batch.length === 0) return;
    this.#unwritten = [];
    for (const entry of batch)
      if (this.#unwrittenOf.get(entry.callId) === entry) this.#unwrittenOf.delete(entry.callId);
    const rows = batch.map(({ callId, queueId, enteredAt, offers }) => ({
      callId,
      queueId,
      enteredAt,
      offers,
    }));
    this.#track(
      insertQueueCalls(this.#db, rows).then(
        (ids) =>
          batch.forEach((entry, i) => {
            entry.written(ids[i] ?? null);
            this.#publish({ entity: 'call', id: entry.callId });
          }),
        (error: unknown) => {
          const calls = batch.map((e) => `${e.callId} (queue ${e.queueId})`).join(', ');
          this.#log.error(`Could not record calls entering a queue: ${calls}`, error);
          for (const entry of batch) entry.written(null);
        },
      ),
    );
  }

  async #describe(to: QueueOverflow): Promise<string> {
    if (to.kind === 'refuse') return `refused: ${to.reason}`;
    if (to.kind === 'queue') return `queue ${(await findQueue(this.#db, to.queueId))?.name ?? to.queueId}`;
    return `user ${(await findUser(this.#db, to.userId))?.username ?? to.userId}`;
  }

  #then(callId: string, what: string, work: (id: number) => Promise<void>, last = false): void {
    const visit = this.#visits.get(callId);
    if (!visit) return;
    const next = visit.then(async (id) => {
      if (id === null) return null;
      try {
        await work(id);
        this.#publish({ entity: 'call', id: callId });
      } catch (error) {
        this.#log.error(`Could not record ${what} for queue call ${callId}`, error);
      }
      return id;
    });
    this.#visits.set(callId, next);
    this.#track(next);
    if (last) this.#forgetAfter(callId, next);
  }

  /** The call's visit is settled: forget it once its writes are done (unless a new one began). */
  #forgetAfter(callId: string, visit: Promise<unknown>): void {
    void visit.then(() => {
      if (this.#visits.get(callId) === visit) this.#visits.delete(callId);
    });
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }
}
