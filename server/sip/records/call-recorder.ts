import { randomBytes } from 'node:crypto';
import type { Disposition } from '../../../contracts/calls';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../log';
import {
  finishCall,
  insertCall,
  insertCalls,
  markCallAnswered,
  type NewCall,
} from '../../store/calls-repository';
import type { Db } from '../../store/database';

/** The record of one call attempt; writes happen in order, in the background. */
export interface CallRecordHandle {
  answered(at?: Date): void;
  finish(disposition: Disposition, reason: string | null, at?: Date): void;
  /** The record's id once inserted (null when the insert failed). */
  readonly id: Promise<number | null>;
  /** Queues another write on this record, after the ones before it. */
  after(write: (recordId: number) => Promise<void>): void;
}

/**
 * How long a new call's record waits before it is written. PGlite runs each query on this
 * process's only thread, so an insert made as the INVITE is forwarded held up the 180, 200 and
 * ACK that follow it within ~100 ms (measured with `CALL_TRACE=1 npm run bench:calls`). Written
 * a moment later, the set-up's messages pass first; the start time is still the INVITE's. The
 * calls started meanwhile are one insert: a burst of 100 callers to a queue written one by one
 * put 100 queries in the middle of the offers still going out (`npm run bench:queue`).
 */
export const RECORD_WRITE_DELAY_MS = 300;

/** A call's record not written yet, and how its handle learns the row's id. */
type Unwritten = { call: NewCall; written: (id: number | null) => void };

/**
 * Writes call records for the SIP edge without holding up signalling: each call's writes
 * are chained, failures are logged, and `call.updated` is published after each write.
 */
export class CallRecorder {
  readonly #pending = new Set<Promise<unknown>>();
  /** Records waiting for the next insert, in the order their calls started. */
  #unwritten: Unwritten[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly db: Db,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly writeDelayMs = RECORD_WRITE_DELAY_MS,
  ) {}

  start(call: NewCall): CallRecordHandle {
    const record = { ...call, startedAt: call.startedAt ?? new Date() };
    let written: (id: number | null) => void = () => undefined;
    const id = this.#track(new Promise<number | null>((resolve) => (written = resolve)));
    this.#unwritten.push({ call: record, written });
    this.#timer ??= setTimeout(() => this.#writeUnwritten(), this.writeDelayMs);
    let chain: Promise<unknown> = id;
    let finished = false;
    const then = (write: (recordId: number) => Promise<void>) => {
      chain = this.#track(
        chain.then(async () => {
          const recordId = await id;
          if (recordId === null) return;
          try {
            await write(recordId);
            this.events.publish({ entity: 'call', id: recordId });
          } catch (error) {
            this.log.error(`SIP edge: could not update call record ${recordId}`, error);
          }
        }),
      );
    };
    return {
      id,
      after: then,
      answered: (at = new Date()) => then((recordId) => markCallAnswered(this.db, recordId, at)),
      finish: (disposition, reason, at = new Date()) => {
        if (finished) return;
        finished = true;
        then((recordId) => finishCall(this.db, recordId, disposition, reason, at));
      },
    };
  }

  /** Runs a write outside any call's chain (e.g. an audit entry), logged if it fails, awaited by idle(). */
  background(what: string, work: () => Promise<void>): void {
    void this.#track(
      work().catch((error: unknown) => {
        this.log.error(`SIP edge: could not write ${what}`, error);
      }),
    );
  }

  /**
   * Writes the records still waiting at once and resolves when every write started so far has
   * settled (tests, shutdown).
   */
  async idle(): Promise<void> {
    this.#writeUnwritten();
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * One insert for every record waiting. When it fails (a Call-ID already recorded), each is
   * inserted on its own, so every call is still recorded once.
   */
  #writeUnwritten(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#unwritten;
    if (batch.length === 0) return;
    this.#unwritten = [];
    this.#track(
      insertCalls(
        this.db,
        batch.map((entry) => entry.call),
      ).then(
        (ids) => {
          for (const { call, written } of batch) {
            const id = ids.get(call.callId) ?? null;
            written(id);
            if (id !== null) this.events.publish({ entity: 'call', id });
          }
        },
        () => Promise.all(batch.map(({ call, written }) => this.#insert(call).then(written))),
      ),
    );
  }

  async #insert(call: NewCall): Promise<number | null> {
    try {
      const id = await insertCall(this.db, call);
      this.events.publish({ entity: 'call', id });
      return id;
    } catch {
      // Call-IDs are unique per record; a client reusing one still gets its attempt recorded.
      try {
        const id = await insertCall(this.db, {
          ...call,
          callId: `${call.callId};${randomBytes(4).toString('hex')}`,
        });
        this.events.publish({ entity: 'call', id });
        return id;
      } catch (error) {
        this.log.error('SIP edge: could not insert a call record', error);
        return null;
      }
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }
}
