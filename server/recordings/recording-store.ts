/** How a chunk upload landed: new, the same bytes again (a retry), or other bytes for a stored number. */
export type ChunkOutcome = 'stored' | 'same' | 'different';

/**
 * Where a recording's audio lives: its chunks while the call goes, then the one assembled file.
 * Files in DATA_DIR with PGlite (one server owns that folder); PostgreSQL with DATABASE_URL
 * (several servers share the database, not a disk).
 */
export interface RecordingStore {
  readonly kind: 'files' | 'database';
  putChunk(id: string, seq: number, data: Buffer): Promise<ChunkOutcome>;
  /** The chunks by sequence number, a lost one left undefined. */
  chunks(id: string): Promise<(Buffer | undefined)[]>;
  putFile(id: string, data: Buffer): Promise<void>;
  /** The assembled file's size, or null before there is one. */
  fileSize(id: string): Promise<number | null>;
  /** Bytes `start` to `end` inclusive of the assembled file. */
  readFile(id: string, start: number, end: number): Promise<Buffer>;
  dropChunks(id: string): Promise<void>;
  /** Removes everything of the recording. */
  remove(id: string): Promise<void>;
}
