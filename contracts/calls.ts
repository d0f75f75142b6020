import { z } from 'zod';
import { pageSchema, pagingQueryShape, refIdQuerySchema } from './paging';
import { recordingSummarySchema } from './recordings';

/** `no-media`: answered, but the phones found no audio path between them (ICE failed). */
export const dispositions = [
  'answered',
  'missed',
  'busy',
  'rejected',
  'failed',
  'refused',
  'no-media',
] as const;
export type Disposition = (typeof dispositions)[number];
export const dispositionSchema = z.enum(dispositions, {
  error: `disposition must be one of: ${dispositions.join(', ')}`,
});

export const monitorModes = ['listen', 'whisper', 'barge'] as const;
export type MonitorMode = (typeof monitorModes)[number];

/** One monitor session on a call: who, the mode it started in, each mode change, start and end. */
export const monitoringSchema = z.object({
  id: z.string(),
  byUserId: z.number().int().nullable(),
  byUsername: z.string(),
  mode: z.enum(monitorModes),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  changes: z.array(z.object({ mode: z.enum(monitorModes), at: z.string() })),
});
export type Monitoring = z.infer<typeof monitoringSchema>;

/** `internal`: between users; `outbound`/`inbound`: over a trunk, to or from a customer's number. */
export const callDirections = ['internal', 'outbound', 'inbound'] as const;
export type CallDirection = (typeof callDirections)[number];

export const callRecordSchema = z.object({
  id: z.number().int(),
  callId: z.string(),
  from: z.string(),
  fromName: z.string().nullable(),
  fromUserId: z.number().int().nullable(),
  to: z.string(),
  toName: z.string().nullable(),
  toUserId: z.number().int().nullable(),
  callerProfile: z.string().nullable(),
  calleeProfile: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Null while the call is still going on. */
  disposition: dispositionSchema.nullable(),
  reason: z.string().nullable(),
  monitoring: z.array(monitoringSchema),
  direction: z.enum(callDirections),
  /** The customer's number (E.164) on a trunk call; null between users. */
  number: z.string().nullable(),
  /** The trunk's name on a trunk call; null between users. */
  trunk: z.string().nullable(),
  /** What the call cost (priced trunk calls), paid from the caller's profile's credit; else null. */
  charge: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  /** Each recording of the call (one per recording user), kept or still being made. */
  recordings: z.array(recordingSummarySchema),
});
export type CallRecord = z.infer<typeof callRecordSchema>;

const isoDate = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what} must be a date and time like 2026-11-23T09:00:00Z` });

export const callListQuerySchema = z
  .object({
    userId: refIdQuerySchema('user').optional(),
    profileId: refIdQuerySchema('profile').optional(),
    disposition: dispositionSchema.optional(),
    direction: z
      .enum(callDirections, { error: 'direction must be internal, outbound or inbound' })
      .optional(),
    from: isoDate('from').optional(),
    to: isoDate('to').optional(),
    ...pagingQueryShape,
  })
  .strict();
export type CallListQuery = z.infer<typeof callListQuerySchema>;

export const callListSchema = pageSchema(callRecordSchema);
export type CallList = z.infer<typeof callListSchema>;
