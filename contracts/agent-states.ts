import { z } from 'zod';
import { nameSchema } from './names';
import { pageSchema, pagingQueryShape, refIdQuerySchema } from './paging';

/**
 * Where an agent is in the contact center. Available and Not ready are chosen by the agent;
 * Ringing, On call and Wrap-up follow the calls; Offline is having no registered phone.
 */
export const agentStates = ['available', 'not_ready', 'ringing', 'on_call', 'wrap_up', 'offline'] as const;
export type AgentStateName = (typeof agentStates)[number];

/** A reason for Not ready that supervisors define (break, lunch, training…). */
export const reasonCodeCreateSchema = z
  .object({
    code: nameSchema('code'),
    label: z
      .string({ error: 'label must be text' })
      .trim()
      .min(1, { error: 'label must not be empty' })
      .max(40, { error: 'label must be at most 40 characters' }),
  })
  .strict();
export type ReasonCodeCreate = z.infer<typeof reasonCodeCreateSchema>;
export const reasonCodeUpdateSchema = reasonCodeCreateSchema.partial().strict();
export type ReasonCodeUpdate = z.infer<typeof reasonCodeUpdateSchema>;

export const reasonCodeSchema = z.object({ id: z.number().int(), code: z.string(), label: z.string() });
export type ReasonCode = z.infer<typeof reasonCodeSchema>;
export const reasonCodeListSchema = z.object({ items: z.array(reasonCodeSchema) });

/** Set when the system, not the agent, put them in Not ready. */
export const MISSED_QUEUE_CALL_REASON = 'Missed a queue call';

export const agentStateSchema = z.object({
  userId: z.number().int(),
  state: z.enum(agentStates),
  /** The reason's label for Not ready (a reason code's, or MISSED_QUEUE_CALL_REASON). */
  reason: z.string().nullable(),
  since: z.string(),
  /** While in Wrap-up: when it ends by itself. */
  wrapUpEndsAt: z.string().nullable(),
  /** The queue call being wrapped up (its Call-ID), for the disposition. */
  wrapUpCallId: z.string().nullable(),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/**
 * `PUT /api/me/state`: what the agent chooses with one click. `end_wrap_up` goes to Available,
 * `extend_wrap_up` adds the queue's wrap-up time again.
 */
export const agentStateChangeSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('available') }).strict(),
    z.object({ action: z.literal('not_ready'), reasonCode: nameSchema('reason code') }).strict(),
    z.object({ action: z.literal('end_wrap_up') }).strict(),
    z.object({ action: z.literal('extend_wrap_up') }).strict(),
  ],
  { error: 'action must be available, not_ready (with a reason code), end_wrap_up or extend_wrap_up' },
);
export type AgentStateChange = z.infer<typeof agentStateChangeSchema>;

/** One change, kept for reports: who, from, to, when, why. */
export const agentStateChangeRecordSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  username: z.string(),
  from: z.enum(agentStates),
  to: z.enum(agentStates),
  reason: z.string().nullable(),
  at: z.string(),
  /** How long the agent stayed in `to`: until their next change; null while it is their latest. */
  seconds: z.number().nullable(),
});
export type AgentStateChangeRecord = z.infer<typeof agentStateChangeRecordSchema>;

/**
 * `GET /api/me/state` and the answer to `PUT /api/me/state`: the agent's own state, whether
 * they take queue calls at all, and, while wrapping up a queue call, the queue's disposition
 * codes and what was already chosen.
 */
export const myAgentStateSchema = agentStateSchema.extend({
  /** A member of at least one queue (as a user or through a group): the phone shows its state control only then. */
  inQueues: z.boolean(),
  wrapUp: z
    .object({
      callId: z.string(),
      queueId: z.number().int().nullable(),
      queue: z.string(),
      dispositions: z.array(z.string()),
      disposition: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable(),
});
export type MyAgentState = z.infer<typeof myAgentStateSchema>;

/** One agent on the wallboard and the operator panel: who, where, and calls answered today. */
export const agentBoardEntrySchema = agentStateSchema.extend({
  username: z.string(),
  displayName: z.string(),
  extension: z.string(),
  answeredToday: z.number().int(),
});
export type AgentBoardEntry = z.infer<typeof agentBoardEntrySchema>;
export const agentBoardListSchema = z.object({ items: z.array(agentBoardEntrySchema) });

/** A day in the server's time zone, `2026-12-06`. */
export const daySchema = z
  .string({ error: 'date must be a day like 2026-12-06' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'date must be a day like 2026-12-06' })
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d));
    return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  }, 'date is not a day of the calendar');

/** `GET /api/agent-states/history`: by user and day (server's time zone), newest first. */
export const agentStateHistoryQuerySchema = z
  .object({
    userId: refIdQuerySchema('user').optional(),
    date: daySchema.optional(),
    ...pagingQueryShape,
  })
  .strict();
export type AgentStateHistoryQuery = z.infer<typeof agentStateHistoryQuerySchema>;
export const agentStateHistorySchema = pageSchema(agentStateChangeRecordSchema);
