import { randomBytes } from 'node:crypto';
import type { Disposition } from '../../../contracts/calls';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../log';
import { finishCall, insertCall, markCallAnswered, type NewCall } from '../../store/calls-repository';
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
 * a moment later, the set-up's messages pass first; the start time is still the INVITE's.
 */
export const RECORD_WRITE_DELAY_MS = 300;

/**
 * Writes call records for the SIP edge without holding up signalling: each call's writes
 * are chained, failures are logged, and `call.updated` is published after each write.
 */
export class CallRecorder {
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    readonly db: Db,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly writeDelayMs = RECORD_WRITE_DELAY_MS,
  ) {}

  start(call: NewCall): CallRecordHandle {
    const record = { ...call, startedAt: call.startedAt ?? new Date() };
    const id = this.#track(
      new Promise<void>((resolve) => setTimeout(resolve, this.writeDelayMs)).then(() => this.#insert(record)),
    );
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

  /** Resolves when every write started so far has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
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
