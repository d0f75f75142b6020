import { z } from 'zod';
import { nameSchema } from './names';

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
});
export type AgentStateChangeRecord = z.infer<typeof agentStateChangeRecordSchema>;
