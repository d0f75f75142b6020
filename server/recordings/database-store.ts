import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../store/database';
import { recordingBlobs } from '../store/schema';
import type { ChunkOutcome, RecordingStore } from './recording-store';

/** The assembled file's row; chunks are 0 and up. */
const FILE_SEQ = -1;

/**
 * Recordings in PostgreSQL (`recording_blobs`, bytea): with DATABASE_URL several servers share
 * the database but not a disk, and a chunk may reach any of them.
 */
export class DatabaseRecordingStore implements RecordingStore {
  readonly kind = 'database';

  constructor(private readonly db: Db) {}

  async putChunk(id: string, seq: number, data: Buffer): Promise<ChunkOutcome> {
    const inserted = await this.db
      .insert(recordingBlobs)
      .values({ recordingId: id, seq, data })
      .onConflictDoNothing()
      .returning({ seq: recordingBlobs.seq });
    if (inserted.length > 0) return 'stored';
    const [row] = await this.db
      .select({ same: sql<boolean>`${recordingBlobs.data} = ${data}` })
      .from(recordingBlobs)
      .where(and(eq(recordingBlobs.recordingId, id), eq(recordingBlobs.seq, seq)));
    return row?.same ? 'same' : 'different';
  }

  async chunks(id: string): Promise<(Buffer | undefined)[]> {
    const rows = await this.db
      .select({ seq: recordingBlobs.seq, data: recordingBlobs.data })
      .from(recordingBlobs)
      .where(and(eq(recordingBlobs.recordingId, id), gte(recordingBlobs.seq, 0)))
      .orderBy(asc(recordingBlobs.seq));
    const out: (Buffer | undefined)[] = [];
    for (const row of rows) out[row.seq] = row.data;
    return Array.from({ length: out.length }, (_, i) => out[i]);
  }

  async putFile(id: string, data: Buffer): Promise<void> {
    await this.db
      .insert(recordingBlobs)
      .values({ recordingId: id, seq: FILE_SEQ, data })
      .onConflictDoUpdate({ target: [recordingBlobs.recordingId, recordingBlobs.seq], set: { data } });
  }

  async fileSize(id: string): Promise<number | null> {
    const [row] = await this.db
      .select({ size: sql<number>`octet_length(${recordingBlobs.data})::int` })
      .from(recordingBlobs)
      .where(and(eq(recordingBlobs.recordingId, id), eq(recordingBlobs.seq, FILE_SEQ)));
    return row ? Number(row.size) : null;
  }

  async readFile(id: string, start: number, end: number): Promise<Buffer> {
    const [row] = await this.db
      .select({
        part: sql<Buffer>`substring(${recordingBlobs.data} from ${start + 1} for ${end - start + 1})`,
      })
      .from(recordingBlobs)
      .where(and(eq(recordingBlobs.recordingId, id), eq(recordingBlobs.seq, FILE_SEQ)));
    if (!row) return Buffer.alloc(0);
    const part = row.part as unknown;
    return Buffer.isBuffer(part) ? part : Buffer.from(part as Uint8Array);
  }

  async dropChunks(id: string): Promise<void> {
    await this.db
      .delete(recordingBlobs)
      .where(and(eq(recordingBlobs.recordingId, id), gte(recordingBlobs.seq, 0)));
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(recordingBlobs).where(eq(recordingBlobs.recordingId, id));
  }
}
