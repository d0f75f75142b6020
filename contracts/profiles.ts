import { z } from 'zod';
import { nameSchema } from './names';
import { recordingModeSchema, recordingRetentionDaysSchema } from './recordings';

/**
 * `external`: may call national numbers over a trunk; `international`: numbers in another country
 * code too (DEFAULT_COUNTRY_CODE decides which is which).
 */
export const knownFlags = [
  'call',
  'transfer',
  'listen',
  'whisper',
  'barge',
  'auto_answer',
  'external',
  'international',
] as const;
export type Flag = (typeof knownFlags)[number];

export const MAX_CHANNEL_LIMIT = 300;

export const flagSchema = z.enum(knownFlags, {
  error: (issue) => `Unknown flag ${JSON.stringify(issue.input)}; known flags are: ${knownFlags.join(', ')}`,
});

const flagsSchema = z
  .array(flagSchema, { error: 'flags must be a list of flag names' })
  .max(knownFlags.length * 2, { error: 'too many flags' })
  .transform((flags) => [...new Set(flags)]);

const capacitySchema = z
  .number({ error: 'capacity must be a number' })
  .int({ error: 'capacity must be a whole number' })
  .min(1, { error: 'capacity must be at least 1' })
  .max(100_000, { error: 'capacity must be at most 100000' });

const channelLimitSchema = z
  .number({ error: 'channel limit must be a number' })
  .int({ error: 'channel limit must be a whole number' })
  .min(1, { error: 'channel limit must be between 1 and 300' })
  .max(MAX_CHANNEL_LIMIT, { error: 'channel limit must be between 1 and 300' });

const bargeGroupSchema = nameSchema('barge group').nullable();

export const profileCreateSchema = z
  .object({
    name: nameSchema('name'),
    capacity: capacitySchema,
    channelLimit: channelLimitSchema,
    flags: flagsSchema.default([]),
    bargeGroup: bargeGroupSchema.default(null),
    monitorNotice: z.boolean({ error: 'monitor notice must be true or false' }).default(false),
    recording: recordingModeSchema.default('off'),
    recordingRetentionDays: recordingRetentionDaysSchema.default(90),
    recordingNotice: z.boolean({ error: 'recording notice must be true or false' }).default(false),
  })
  .strict();
export type ProfileCreate = z.infer<typeof profileCreateSchema>;

export const profileUpdateSchema = z
  .object({
    name: nameSchema('name'),
    capacity: capacitySchema,
    channelLimit: channelLimitSchema,
    flags: flagsSchema,
    bargeGroup: bargeGroupSchema,
    monitorNotice: z.boolean({ error: 'monitor notice must be true or false' }),
    recording: recordingModeSchema,
    recordingRetentionDays: recordingRetentionDaysSchema,
    recordingNotice: z.boolean({ error: 'recording notice must be true or false' }),
  })
  .partial()
  .strict();
export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

export const profileSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  capacity: z.number().int(),
  channelLimit: z.number().int(),
  flags: z.array(flagSchema),
  bargeGroup: z.string().nullable(),
  monitorNotice: z.boolean(),
  /** Off, every call from the answer on, or when the agent presses Record. */
  recording: recordingModeSchema,
  /** Recordings of this profile's users are deleted this many days after the call. */
  recordingRetentionDays: z.number().int(),
  /** A short tone every 15 s in what the other party hears while recording. */
  recordingNotice: z.boolean(),
  userCount: z.number().int(),
  seatsInUse: z.number().int(),
  channelsInUse: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof profileSchema>;

export const profileListSchema = z.object({ items: z.array(profileSchema) });
export type ProfileList = z.infer<typeof profileListSchema>;

/** What deleting a profile would do (`GET /api/profiles/{id}/deletion-impact`), and where to export first. */
export const profileDeletionImpactSchema = z.object({
  userCount: z.number().int(),
  callRecordCount: z.number().int(),
  exportUrl: z.string(),
  /** The profile's credit, returned to the account's balance (a decimal string in `currency`). */
  credit: z.string(),
  currency: z.string(),
  /** Its numbers (E.164), returned to the account's pool unassigned. */
  numbers: z.array(z.string()),
});
export type ProfileDeletionImpact = z.infer<typeof profileDeletionImpactSchema>;

/** What deleting a profile did (`DELETE /api/profiles/{id}`). */
export const profileDeletedSchema = z.object({
  usersUnassigned: z.number().int(),
  callRecordsDeleted: z.number().int(),
  creditReturned: z.string(),
  currency: z.string(),
  numbersReturned: z.array(z.string()),
});
export type ProfileDeleted = z.infer<typeof profileDeletedSchema>;
