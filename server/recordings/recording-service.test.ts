import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus';
import { createLogger } from '../log';
import { noSipControl } from '../sip/sip-control';
import type { Database } from '../store/database';
import { findRecording, insertRecording, setPauses } from '../store/recordings-repository';
import { auditLog, recordingBlobs } from '../store/schema';
import { freshTestDatabase, testBackends } from '../store/test-database';
import { DatabaseRecordingStore } from './database-store';
import { RecordingService, SYSTEM_ACTOR } from './recording-service';

// The service on the store DATABASE_URL selects (recording_blobs), on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL: chunks in, one file out, failures and retention audited.

/** Chromium's MediaRecorder stream (12.5 s, 440 Hz left, 660 Hz right), cut in 1 s chunks as it cuts it. */
const stream = readFileSync(new URL('../../test/fixtures/mediarecorder-440-660.webm', import.meta.url));
const chunks = Array.from({ length: Math.ceil(stream.length / 4249) }, (_, i) =>
  stream.subarray(i * 4249, (i + 1) * 4249),
);
const AGENT = { id: null, username: 'agent1' };

for (const backend of testBackends())
  describe(`RecordingService on recording_blobs (${backend})`, () => {
    let database: Database;
    let store: DatabaseRecordingStore;
    let service: RecordingService;

    beforeAll(async () => {
      database = await freshTestDatabase(backend);
      store = new DatabaseRecordingStore(database.db);
      service = new RecordingService({
        db: database.db,
        store,
        events: new EventBus(),
        sip: noSipControl,
        log: createLogger('silent'),
        quietMs: 0,
      });
    });
    afterAll(async () => {
      await service.close();
      await database.close();
    });

    async function newRecording(expiresInMs = 86_400_000): Promise<string> {
      const id = randomUUID();
      await insertRecording(database.db, {
        id,
        callId: `call-${id}`,
        userId: null,
        username: 'agent1',
        expiresAt: new Date(Date.now() + expiresInMs),
      });
      return id;
    }

    const auditOf = (id: string) =>
      database.db.select().from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.id);
    const blobsOf = (id: string) =>
      database.db
        .select({ seq: recordingBlobs.seq })
        .from(recordingBlobs)
        .where(eq(recordingBlobs.recordingId, id));

    it('joins the chunks into one file with its duration, a lost chunk as silence, an open pause closed', async () => {
      const id = await newRecording();
      for (const [seq, chunk] of chunks.entries())
        if (seq !== 4) expect(await store.putChunk(id, seq, chunk)).toBe('stored');
      await setPauses(database.db, id, [
        {
          byUsername: 'agent1',
          pausedAt: new Date().toISOString(),
          resumedAt: null,
          offsetMs: 9_000,
          durationMs: null,
        },
      ]);

      // Two at once (the phone's finish and the edge's end of the call) make one file.
      const [first, second] = await Promise.all([
        service.finish(id, AGENT),
        service.finish(id, SYSTEM_ACTOR),
      ]);
      expect(second).toEqual(first);
      const row = await findRecording(database.db, id);
      expect(row?.state).toBe('ready');
      // The lost second keeps its place: the file is as long as the stream (12.5 s).
      expect(row?.durationMs).toBeGreaterThan(12_000);
      expect(row?.durationMs).toBeLessThan(13_000);
      expect(row?.bytes).toBe(await store.fileSize(id));
      expect(row?.pauses[0]?.durationMs).toBe((row?.durationMs ?? 0) - 9_000);
      const head = await store.readFile(id, 0, 3);
      expect([...head]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
      // Only the file is kept.
      expect((await blobsOf(id)).map((blob) => blob.seq)).toEqual([-1]);
      const audit = await auditOf(id);
      expect(audit.map((entry) => entry.action)).toEqual(['recording.stop']);
      expect(audit[0]?.actorUsername).toBe('agent1');
      expect(audit[0]?.after).toMatchObject({ chunks: chunks.length - 1, lostChunks: 1 });
    });

    it('marks a recording that never got a readable chunk failed, audited, and keeps nothing to play', async () => {
      const id = await newRecording();
      await store.putChunk(id, 0, Buffer.from('not webm'));
      const row = await service.finish(id, SYSTEM_ACTOR);
      expect(row?.state).toBe('failed');
      expect(await store.fileSize(id)).toBeNull();
      expect((await auditOf(id)).map((entry) => [entry.action, entry.actorUsername])).toEqual([
        ['recording.failed', 'system'],
      ]);
    });

    it('finishes by itself a recording whose call has ended once its chunks have stopped', async () => {
      const id = await newRecording();
      await store.putChunk(id, 0, chunks[0] ?? Buffer.alloc(0));
      await store.putChunk(id, 1, chunks[1] ?? Buffer.alloc(0));
      service.opened(id, `call-${id}`);
      await service.checkOpen();
      const row = await findRecording(database.db, id);
      expect(row?.state).toBe('ready');
      expect(row?.durationMs).toBeGreaterThan(1_500);
      expect((await auditOf(id))[0]?.actorUsername).toBe('system');
    });

    it('deletes recordings past their retention with their audio, audited as the system', async () => {
      const expired = await newRecording(-1_000);
      const kept = await newRecording();
      for (const id of [expired, kept]) await store.putChunk(id, 0, chunks[0] ?? Buffer.alloc(0));
      expect(await service.sweep()).toBeGreaterThanOrEqual(1);
      expect(await findRecording(database.db, expired)).toBeUndefined();
      expect(await blobsOf(expired)).toEqual([]);
      expect((await auditOf(expired)).map((entry) => [entry.action, entry.actorUsername])).toEqual([
        ['recording.expire', 'system'],
      ]);
      expect(await findRecording(database.db, kept)).toBeDefined();
      expect(await blobsOf(kept)).toHaveLength(1);
    });
  });
