import type { RecordingPause } from '../../contracts/recordings';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { LiveDialog, SipControl } from '../sip/sip-control';
import { appendAudit, type AuditActor } from '../store/audit-repository';
import type { Db } from '../store/database';
import {
  deleteRecordingRow,
  expiredRecordings,
  findRecording,
  markRecordingFailed,
  markRecordingReady,
  openRecordings,
  setPauses,
  type RecordingRow,
} from '../store/recordings-repository';
import { assembleWebm, UnreadableRecording } from './assemble-webm';
import type { RecordingStore } from './recording-store';

/** The actor retention and the server's own finishing are audited as. */
export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system' };

export type RecordingServiceOptions = {
  db: Db;
  store: RecordingStore;
  events: EventBus;
  sip: SipControl;
  log: Logger;
  /** A recording whose call has ended is finished once no chunk came for this long. */
  quietMs?: number;
  /** How often retention runs (also once at start). */
  sweepMs?: number;
};

/**
 * Finishes recordings and applies retention. The phone says when its recording ends; when it
 * cannot (a closed tab, a crash), the edge's end of the call is enough: once the dialog is gone
 * and the chunks have stopped for `quietMs`, the server assembles what it has.
 */
export class RecordingService {
  readonly store: RecordingStore;
  readonly #options: Required<RecordingServiceOptions>;
  /** Recordings still being made, by id; their calls are watched. */
  readonly #open = new Map<string, { callId: string; lastChunkAt: number }>();
  readonly #finishing = new Map<string, Promise<RecordingRow | undefined>>();
  #timers: NodeJS.Timeout[] = [];
  #check: NodeJS.Timeout | null = null;
  #stopEvents: (() => void) | null = null;
  #closed = false;

  constructor(options: RecordingServiceOptions) {
    this.#options = { quietMs: 3000, sweepMs: 3_600_000, ...options };
    this.store = options.store;
  }

  /** Loads the recordings left open (e.g. by a restart), subscribes to call changes, runs retention. */
  start(): void {
    const { events, sweepMs } = this.#options;
    this.#stopEvents = events.subscribe((event) => {
      if (event.entity === 'call' && this.#open.size > 0) this.#scheduleCheck();
    });
    const watch = setInterval(() => {
      if (this.#open.size > 0) void this.checkOpen();
    }, 1000);
    const sweep = setInterval(() => void this.sweep(), sweepMs);
    const first = setTimeout(() => {
      void this.#loadOpen();
      void this.sweep();
    }, 0);
    for (const timer of [watch, sweep, first]) timer.unref();
    this.#timers = [watch, sweep, first];
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopEvents?.();
    for (const timer of this.#timers) clearTimeout(timer);
    if (this.#check) clearTimeout(this.#check);
    await Promise.allSettled([...this.#finishing.values()]);
  }

  /** The live, answered call with this Call-ID that the user is a party of. */
  liveCallOf(callId: string, userId: number): LiveDialog | undefined {
    return this.#options.sip
      .liveDialogs()
      .find(
        (dialog) =>
          dialog.callId === callId &&
          dialog.monitor === null &&
          (dialog.caller.userId === userId || dialog.callee.userId === userId),
      );
  }

  /**
   * The users on a live call (none when it is not live): its call record is written a moment after
   * the INVITE, so for a call that has just begun the edge is the one that knows its parties.
   */
  livePartiesOf(callId: string): number[] {
    const ids: number[] = [];
    for (const dialog of this.#options.sip.liveDialogs()) {
      if (dialog.callId !== callId || dialog.monitor !== null) continue;
      for (const party of [dialog.caller, dialog.callee]) if (party.userId !== null) ids.push(party.userId);
    }
    return ids;
  }

  isCallLive(callId: string): boolean {
    return this.#options.sip
      .liveDialogs()
      .some((dialog) => dialog.callId === callId && dialog.monitor === null);
  }

  opened(id: string, callId: string): void {
    this.#open.set(id, { callId, lastChunkAt: Date.now() });
  }

  chunkArrived(id: string): void {
    const open = this.#open.get(id);
    if (open) open.lastChunkAt = Date.now();
  }

  /** Finishes every open recording whose call has ended and whose chunks have stopped. */
  async checkOpen(): Promise<void> {
    const now = Date.now();
    for (const [id, open] of this.#open) {
      if (this.isCallLive(open.callId)) continue;
      if (now - open.lastChunkAt < this.#options.quietMs) continue;
      await this.finish(id, SYSTEM_ACTOR).catch((error: unknown) =>
        this.#options.log.error(`Recordings: could not finish recording ${id}`, error),
      );
    }
  }

  /**
   * Makes the one file from the chunks (once, however many ask), marks the recording ready
   * with its duration (or failed when nothing readable arrived), and closes an open pause.
   */
  finish(id: string, actor: AuditActor): Promise<RecordingRow | undefined> {
    const running = this.#finishing.get(id);
    if (running) return running;
    const work = this.#finish(id, actor).finally(() => this.#finishing.delete(id));
    this.#finishing.set(id, work);
    return work;
  }

  async #finish(id: string, actor: AuditActor): Promise<RecordingRow | undefined> {
    const { db, store, events, log } = this.#options;
    const row = await findRecording(db, id);
    this.#open.delete(id);
    if (!row || row.state !== 'recording') return row;
    const endedAt = new Date();
    const chunks = await store.chunks(id);
    try {
      const assembled = assembleWebm(chunks);
      await store.putFile(id, assembled.file);
      const pauses = closePauses(row.pauses, endedAt, assembled.durationMs);
      await db.transaction(async (tx) => {
        await markRecordingReady(tx, id, {
          durationMs: assembled.durationMs,
          bytes: assembled.file.length,
          endedAt,
        });
        await setPauses(tx, id, pauses);
        await appendAudit(tx, actor, {
          action: 'recording.stop',
          entity: 'recording',
          entityId: id,
          after: {
            callId: row.callId,
            username: row.username,
            durationMs: assembled.durationMs,
            silenceFilledMs: assembled.silenceFilledMs,
            chunks: chunks.filter(Boolean).length,
            lostChunks: chunks.length - chunks.filter(Boolean).length,
          },
        });
      });
      await store.dropChunks(id);
    } catch (error) {
      if (!(error instanceof UnreadableRecording)) throw error;
      log.warn(`Recordings: recording ${id} of call ${row.callId} cannot be read: ${error.message}`);
      await db.transaction(async (tx) => {
        await markRecordingFailed(tx, id, endedAt);
        await appendAudit(tx, actor, {
          action: 'recording.failed',
          entity: 'recording',
          entityId: id,
          after: { callId: row.callId, username: row.username, problem: error.message },
        });
      });
    }
    events.publish({ entity: 'call', id: null }, { entity: 'audit', id: null });
    return findRecording(db, id);
  }

  /** Deletes the recordings past their retention, each audited as the system's act. */
  async sweep(now = new Date()): Promise<number> {
    if (this.#closed) return 0;
    const { db, store, events, log } = this.#options;
    let deleted = 0;
    try {
      for (const row of await expiredRecordings(db, now)) {
        await store.remove(row.id);
        await db.transaction(async (tx) => {
          await deleteRecordingRow(tx, row.id);
          await appendAudit(tx, SYSTEM_ACTOR, {
            action: 'recording.expire',
            entity: 'recording',
            entityId: row.id,
            before: { callId: row.callId, username: row.username, expiresAt: row.expiresAt.toISOString() },
          });
        });
        this.#open.delete(row.id);
        deleted++;
      }
    } catch (error) {
      log.error('Recordings: retention could not delete expired recordings', error);
    }
    if (deleted > 0) events.publish({ entity: 'call', id: null }, { entity: 'audit', id: null });
    return deleted;
  }

  async #loadOpen(): Promise<void> {
    try {
      for (const row of await openRecordings(this.#options.db))
        if (!this.#open.has(row.id))
          this.#open.set(row.id, {
            callId: row.callId,
            lastChunkAt: (row.lastChunkAt ?? row.startedAt).getTime(),
          });
    } catch (error) {
      this.#options.log.error('Recordings: could not load the recordings left open', error);
    }
  }

  #scheduleCheck(): void {
    if (this.#check) return;
    this.#check = setTimeout(() => {
      this.#check = null;
      void this.checkOpen();
    }, this.#options.quietMs);
    this.#check.unref();
  }
}

/** A pause still open when the recording ends lasts to its end. */
function closePauses(pauses: RecordingPause[], endedAt: Date, durationMs: number): RecordingPause[] {
  return pauses.map((pause) =>
    pause.resumedAt === null
      ? { ...pause, resumedAt: endedAt.toISOString(), durationMs: Math.max(0, durationMs - pause.offsetMs) }
      : pause,
  );
}
