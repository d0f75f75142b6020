import type { LiveEvent } from '../../contracts/events';
import type { QueueOverflow } from '../../contracts/queues';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import {
  fillQueueCallCaller,
  insertQueueCall,
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
 * The queue engine's QueueCallLog on the store: one `queue_calls` row per visit of a call to a
 * queue (`queued` opens it; `answered`, `abandoned` or `overflowed` settles it; an overflow to
 * another queue is a new `queued` there). The agent's side comes from the AgentBoard's moves:
 * each offer, the end of the answered call, the end of its wrap-up. A call's writes run in
 * order (the row exists before it is updated) without holding up the engine; a failed write is
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

  constructor(options: { db: Db; log: Logger; publish: (event: LiveEvent) => void }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#publish = options.publish;
  }

  queued(callId: string, queueId: number, at = new Date()): void {
    const previous = this.#visits.get(callId) ?? Promise.resolve(null);
    const visit = previous.then(() =>
      insertQueueCall(this.#db, { callId, queueId, enteredAt: at }).then(
        (id) => {
          this.#publish({ entity: 'call', id: callId });
          return id;
        },
        (error: unknown) => {
          this.#log.error(`Could not record call ${callId} entering queue ${queueId}`, error);
          return null;
        },
      ),
    );
    this.#visits.set(callId, visit);
    this.#track(visit);
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
      this.#then(callId, 'an offer', (id) => markQueueCallOffered(this.#db, id));
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

  /** Resolves when every write asked for so far is done. */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
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
