import { z } from 'zod';

/** A profile's recording: never, every call, or when the agent presses Record. */
export const recordingModes = ['off', 'always', 'on_demand'] as const;
export type RecordingMode = (typeof recordingModes)[number];
export const recordingModeSchema = z.enum(recordingModes, {
  error: `recording must be one of: ${recordingModes.join(', ')}`,
});

export const recordingRetentionDaysSchema = z
  .number({ error: 'retention must be a number of days' })
  .int({ error: 'retention must be a whole number of days' })
  .min(1, { error: 'retention must be between 1 and 3650 days' })
  .max(3650, { error: 'retention must be between 1 and 3650 days' });

/** Largest chunk the phone uploads (one second of 48 kHz stereo Opus is ≈ 4–6 KB). */
export const MAX_RECORDING_CHUNK_BYTES = 256 * 1024;

/** `POST /api/recordings`: the phone starts recording its own view of a live call. */
export const recordingStartSchema = z
  .object({
    /** The SIP Call-ID of the call as the phone knows it. */
    callId: z
      .string({ error: 'callId must be text' })
      .min(1, { error: 'callId must not be empty' })
      .max(256, { error: 'callId must be at most 256 characters' }),
  })
  .strict();
export type RecordingStart = z.infer<typeof recordingStartSchema>;

/** `POST /api/recordings/{id}/marks`: a pause for payment details, or its end. */
export const recordingMarkSchema = z
  .object({
    kind: z.enum(['pause', 'resume'], { error: 'kind must be pause or resume' }),
    /** Milliseconds since the recording started, as the phone's recorder counts them. */
    offsetMs: z
      .number({ error: 'offsetMs must be a number' })
      .int({ error: 'offsetMs must be a whole number' })
      .min(0, { error: 'offsetMs must not be negative' }),
  })
  .strict();
export type RecordingMark = z.infer<typeof recordingMarkSchema>;

export const recordingStates = ['recording', 'ready', 'failed'] as const;

export const recordingPauseSchema = z.object({
  byUsername: z.string(),
  pausedAt: z.string(),
  resumedAt: z.string().nullable(),
  /** Where the pause sits in the file, in milliseconds. */
  offsetMs: z.number().int(),
  durationMs: z.number().int().nullable(),
});
export type RecordingPause = z.infer<typeof recordingPauseSchema>;

/** One recording of a call: the recording user's own view (left their microphone, right the other party). */
export const recordingSchema = z.object({
  id: z.string(),
  callId: z.string(),
  userId: z.number().int().nullable(),
  username: z.string(),
  state: z.enum(recordingStates),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  bytes: z.number().int(),
  pauses: z.array(recordingPauseSchema),
  /** When retention deletes it. */
  expiresAt: z.string(),
});
export type Recording = z.infer<typeof recordingSchema>;

export const recordingListSchema = z.object({ items: z.array(recordingSchema) });
export type RecordingList = z.infer<typeof recordingListSchema>;

/** What a call record says about each of its recordings (the call list shows Play and Download from it). */
export const recordingSummarySchema = recordingSchema.pick({
  id: true,
  username: true,
  state: true,
  durationMs: true,
  pauses: true,
});
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

/** `GET /api/recordings?callId=…`: the recordings of one call (by its SIP Call-ID). */
export const recordingListQuerySchema = z
  .object({
    callId: z
      .string({ error: 'callId must be text' })
      .min(1, { error: 'callId must not be empty' })
      .max(256, { error: 'callId must be at most 256 characters' }),
  })
  .strict();
export type RecordingListQuery = z.infer<typeof recordingListQuerySchema>;
