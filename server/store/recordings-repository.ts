import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Recording, RecordingPause } from '../../contracts/recordings';
import type { DbOrTx } from './database';
import { callRecords, recordings } from './schema';

export type RecordingRow = typeof recordings.$inferSelect & { pauses: RecordingPause[] };

export type NewRecording = {
  id: string;
  callId: string;
  userId: number | null;
  username: string;
  expiresAt: Date;
  startedAt?: Date;
};

export async function insertRecording(db: DbOrTx, recording: NewRecording): Promise<void> {
  await db.insert(recordings).values(recording);
}

export async function findRecording(db: DbOrTx, id: string): Promise<RecordingRow | undefined> {
  const [row] = await db.select().from(recordings).where(eq(recordings.id, id));
  return row as RecordingRow | undefined;
}

/** The one recording a user is making of a call, if any. */
export async function findOpenRecording(
  db: DbOrTx,
  callId: string,
  userId: number,
): Promise<RecordingRow | undefined> {
  const [row] = await db
    .select()
    .from(recordings)
    .where(
      and(eq(recordings.callId, callId), eq(recordings.userId, userId), eq(recordings.state, 'recording')),
    );
  return row as RecordingRow | undefined;
}

export async function recordingsOfCalls(db: DbOrTx, callIds: string[]): Promise<RecordingRow[]> {
  if (callIds.length === 0) return [];
  const rows = await db
    .select()
    .from(recordings)
    .where(inArray(recordings.callId, callIds))
    .orderBy(recordings.startedAt);
  return rows as RecordingRow[];
}

/** Recordings still being made (the service watches their calls). */
export async function openRecordings(db: DbOrTx): Promise<RecordingRow[]> {
  const rows = await db.select().from(recordings).where(eq(recordings.state, 'recording'));
  return rows as RecordingRow[];
}

export async function noteChunk(db: DbOrTx, id: string, bytes: number, at = new Date()): Promise<void> {
  await db
    .update(recordings)
    .set({ lastChunkAt: at, bytes: sql`${recordings.bytes} + ${bytes}` })
    .where(eq(recordings.id, id));
}

export async function setPauses(db: DbOrTx, id: string, pauses: RecordingPause[]): Promise<void> {
  await db.update(recordings).set({ pauses }).where(eq(recordings.id, id));
}

export async function markRecordingReady(
  db: DbOrTx,
  id: string,
  result: { durationMs: number; bytes: number; endedAt: Date },
): Promise<void> {
  await db
    .update(recordings)
    .set({ state: 'ready', ...result })
    .where(eq(recordings.id, id));
}

export async function markRecordingFailed(db: DbOrTx, id: string, endedAt: Date): Promise<void> {
  await db.update(recordings).set({ state: 'failed', endedAt }).where(eq(recordings.id, id));
}

export async function deleteRecordingRow(db: DbOrTx, id: string): Promise<void> {
  await db.delete(recordings).where(eq(recordings.id, id));
}

export async function expiredRecordings(db: DbOrTx, now = new Date()): Promise<RecordingRow[]> {
  const rows = await db.select().from(recordings).where(lt(recordings.expiresAt, now));
  return rows as RecordingRow[];
}

export function presentRecording(row: RecordingRow): Recording {
  return {
    id: row.id,
    callId: row.callId,
    userId: row.userId,
    username: row.username,
    state: row.state as Recording['state'],
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    bytes: row.bytes,
    pauses: row.pauses,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** The users of a call by its Call-ID (a customer on a trunk is null); empty before its record is written. */
export async function callPartiesOf(db: DbOrTx, callId: string): Promise<(number | null)[]> {
  const [row] = await db
    .select({ from: callRecords.fromUserId, to: callRecords.toUserId })
    .from(callRecords)
    .where(eq(callRecords.callId, callId));
  return row ? [row.from, row.to] : [];
}
