import type { LiveEvent } from '../../contracts/events';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import {
  insertQueueCall,
  markQueueCallAnswered,
  markQueueCallEnded,
  markQueueCallLeft,
  markQueueCallOffered,
} from '../store/queue-calls-repository';

/**
 * What the queue engine tells about each call it holds, for the wallboard, the reports and the
 * agent's disposition. One visit per call and queue: `queued` opens it, and `answered` then
 * `ended`, or `abandoned`, or `overflowed` closes it (an overflow to another queue is a new
 * `queued` there). Calls about a call that was never queued are ignored. `at` is for tests.
 */
export interface QueueCallLog {
  /** The call entered the queue and waits (the edge holds the INVITE with 180/183). */
  queued(call: {
    callId: string;
    queueId: number;
    queue: string;
    /** The caller's number or SIP URI. */
    caller: string;
    callerName: string | null;
    at?: Date;
  }): void;
  /** An agent is being rung for it (each agent, each time). */
  offered(callId: string, userId: number): void;
  /** An agent answered: the wait ends here. */
  answered(callId: string, agent: { userId: number; username: string }, at?: Date): void;
  /** The caller hung up while waiting, after `waitMs`. */
  abandoned(callId: string, waitMs: number, at?: Date): void;
  /** The maximum wait passed and the call went to `to` ("queue sales", "user alice", "refused: …"). */
  overflowed(callId: string, to: string, waitMs?: number, at?: Date): void;
  /** The answered call ended (the agent's wrap-up starts). */
  ended(callId: string, at?: Date): void;
}

/**
 * The QueueCallLog on the store: each call's writes run in order (the row exists before it is
 * updated) without holding up the engine; a failed write is logged, and the call's later
 * writes are skipped. A `call` event after each write refreshes the wallboard.
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

  queued(call: Parameters<QueueCallLog['queued']>[0]): void {
    const at = call.at ?? new Date();
    const previous = this.#visits.get(call.callId) ?? Promise.resolve(null);
    const visit = previous.then(() =>
      insertQueueCall(this.#db, {
        callId: call.callId,
        queueId: call.queueId,
        queue: call.queue,
        caller: call.caller,
        callerName: call.callerName,
        enteredAt: at,
      }).then(
        (id) => {
          this.#publish({ entity: 'call', id: call.callId });
          return id;
        },
        (error: unknown) => {
          this.#log.error(`Could not record call ${call.callId} entering queue ${call.queue}`, error);
          return null;
        },
      ),
    );
    this.#visits.set(call.callId, visit);
    this.#track(visit);
  }

  offered(callId: string, _userId: number): void {
    this.#then(callId, 'an offer', (id) => markQueueCallOffered(this.#db, id));
  }

  answered(callId: string, agent: { userId: number; username: string }, at = new Date()): void {
    this.#then(callId, 'its answer', (id) =>
      markQueueCallAnswered(this.#db, id, { id: agent.userId, username: agent.username }, at),
    );
  }

  abandoned(callId: string, waitMs: number, at = new Date()): void {
    this.#then(
      callId,
      'its abandon',
      (id) => markQueueCallLeft(this.#db, id, { outcome: 'abandoned', at, waitMs }),
      true,
    );
  }

  overflowed(callId: string, to: string, waitMs?: number, at = new Date()): void {
    this.#then(
      callId,
      'its overflow',
      (id) => markQueueCallLeft(this.#db, id, { outcome: 'overflowed', at, waitMs, overflowTo: to }),
      true,
    );
  }

  ended(callId: string, at = new Date()): void {
    this.#then(callId, 'its end', (id) => markQueueCallEnded(this.#db, id, at), true);
  }

  /** Resolves when every write asked for so far is done. */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
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
    if (last)
      void next.then(() => {
        if (this.#visits.get(callId) === next) this.#visits.delete(callId);
      });
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }
}
