import { sql } from 'drizzle-orm';
import {
  customType,
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { users } from './directory';

// Call recordings and, with DATABASE_URL, their audio.

/** Binary data as PostgreSQL's bytea (recording chunks and files with DATABASE_URL). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Call recordings: one per recording user and call, made by that user's phone. The audio is
 * kept as chunks while the call goes, then as one WebM file (in DATA_DIR, or in
 * recording_blobs with DATABASE_URL).
 */
export const recordings = pgTable(
  'recordings',
  {
    id: text('id').primaryKey(),
    /** The SIP Call-ID, as on the call record. */
    callId: text('call_id').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    username: text('username').notNull(),
    /** recording, ready or failed. */
    state: text('state').notNull().default('recording'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    lastChunkAt: timestamp('last_chunk_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    /** RecordingPause[] as JSON. */
    pauses: jsonb('pauses')
      .notNull()
      .default(sql`'[]'::jsonb`),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('recordings_call_id_idx').on(t.callId),
    index('recordings_expires_idx').on(t.expiresAt),
    index('recordings_state_idx').on(t.state),
  ],
);

/**
 * With DATABASE_URL, where the audio lives: chunk `seq` ≥ 0 as uploaded, and the assembled file
 * as seq -1. Several servers share one database but not one disk.
 */
export const recordingBlobs = pgTable(
  'recording_blobs',
  {
    recordingId: text('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.seq] })],
);
