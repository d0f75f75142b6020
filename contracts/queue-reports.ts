import { z } from 'zod';
import { agentStates, daySchema } from './agent-states';
import { refIdQuerySchema } from './paging';

/** What became of a call's visit to a queue. */
export const queueCallOutcomes = ['waiting', 'answered', 'abandoned', 'overflowed'] as const;
export type QueueCallOutcome = (typeof queueCallOutcomes)[number];

/** One visit of a call to a queue, with the agent's disposition and note from wrap-up. */
export const queueCallSchema = z.object({
  id: z.number().int(),
  callId: z.string(),
  queueId: z.number().int().nullable(),
  queue: z.string(),
  caller: z.string(),
  callerName: z.string().nullable(),
  enteredAt: z.string(),
  outcome: z.enum(queueCallOutcomes),
  /** How long the caller waited before an answer, hanging up or overflowing. */
  waitSeconds: z.number().nullable(),
  offers: z.number().int(),
  agentId: z.number().int().nullable(),
  agentUsername: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  overflowTo: z.string().nullable(),
  disposition: z.string().nullable(),
  note: z.string().nullable(),
});
export type QueueCall = z.infer<typeof queueCallSchema>;

/** `?date=2026-12-06` (server's time zone); today when left out. */
export const reportQuerySchema = z.object({ date: daySchema.optional() }).strict();
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/**
 * One queue's day. Average wait is over every call that stopped waiting (answered, abandoned,
 * overflowed); average handle runs from the answer to the end of the agent's wrap-up.
 */
export const queueReportRowSchema = z.object({
  queueId: z.number().int().nullable(),
  queue: z.string(),
  offered: z.number().int(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  overflowed: z.number().int(),
  /** Share of answered calls answered within the queue's threshold (0–1); null before any. */
  serviceLevel: z.number().nullable(),
  averageWaitSeconds: z.number().nullable(),
  longestWaitSeconds: z.number().nullable(),
  averageHandleSeconds: z.number().nullable(),
});
export type QueueReportRow = z.infer<typeof queueReportRowSchema>;
export const queueReportSchema = z.object({ date: z.string(), items: z.array(queueReportRowSchema) });
export type QueueReport = z.infer<typeof queueReportSchema>;

/** Seconds spent in each state during the day (up to now for today). */
export const secondsInStateSchema = z.object(
  Object.fromEntries(agentStates.map((state) => [state, z.number().int()])) as Record<
    (typeof agentStates)[number],
    z.ZodNumber
  >,
);

/** One agent's day: queue calls offered (rung), answered and missed, handle time, time in each state. */
export const agentReportRowSchema = z.object({
  userId: z.number().int().nullable(),
  username: z.string(),
  offered: z.number().int(),
  answered: z.number().int(),
  missed: z.number().int(),
  averageHandleSeconds: z.number().nullable(),
  secondsInState: secondsInStateSchema,
});
export type AgentReportRow = z.infer<typeof agentReportRowSchema>;
export const agentReportSchema = z.object({ date: z.string(), items: z.array(agentReportRowSchema) });
export type AgentReport = z.infer<typeof agentReportSchema>;

/** `GET /api/queue-calls`: a day's queue calls (server's time zone), by queue or agent. */
export const queueCallListQuerySchema = z
  .object({
    date: daySchema.optional(),
    queueId: refIdQuerySchema('queue').optional(),
    agentId: refIdQuerySchema('user').optional(),
  })
  .strict();
export type QueueCallListQuery = z.infer<typeof queueCallListQuerySchema>;
export const queueCallListSchema = z.object({ date: z.string(), items: z.array(queueCallSchema) });
