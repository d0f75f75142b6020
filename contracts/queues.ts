import { z } from 'zod';
import { nameSchema } from './names';
import { refIdSchema } from './paging';
import { extensionSchema } from './users';

export const queueStrategies = ['longest_idle', 'round_robin', 'fewest_calls', 'ring_all'] as const;
export type QueueStrategy = (typeof queueStrategies)[number];

const seconds = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .int({ error: `${what} must be a whole number of seconds` })
    .min(min, { error: `${what} must be between ${min} and ${max} seconds` })
    .max(max, { error: `${what} must be between ${min} and ${max} seconds` });

const prioritySchema = z
  .number({ error: 'priority must be a number' })
  .int({ error: 'priority must be a whole number' })
  .min(1, { error: 'priority must be between 1 and 10' })
  .max(10, { error: 'priority must be between 1 and 10' });

/** Members: users or whole groups, each with a priority (1 is offered calls first). */
export const queueMemberSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({ kind: z.literal('user'), userId: refIdSchema('user'), priority: prioritySchema.default(1) })
      .strict(),
    z
      .object({
        kind: z.literal('group'),
        groupId: refIdSchema('group'),
        priority: prioritySchema.default(1),
      })
      .strict(),
  ],
  { error: 'a member must be a user (userId) or a group (groupId)' },
);
export type QueueMember = z.infer<typeof queueMemberSchema>;

/** Where a call goes when its maximum wait has passed. */
export const queueOverflowSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('queue'), queueId: refIdSchema('queue') }).strict(),
    z.object({ kind: z.literal('user'), userId: refIdSchema('user') }).strict(),
    z
      .object({
        kind: z.literal('refuse'),
        /** The reason phrase the caller's phone shows. */
        reason: z
          .string({ error: 'reason must be text' })
          .trim()
          .min(1, { error: 'say why the call is refused' })
          .max(100, { error: 'reason must be at most 100 characters' }),
      })
      .strict(),
  ],
  { error: 'overflow must be another queue, a user, or a refusal with a reason' },
);
export type QueueOverflow = z.infer<typeof queueOverflowSchema>;

const queueFields = {
  name: nameSchema('name'),
  extension: extensionSchema,
  members: z
    .array(queueMemberSchema, { error: 'members must be a list' })
    .max(500, { error: 'at most 500 members' }),
  strategy: z.enum(queueStrategies, { error: `strategy must be one of: ${queueStrategies.join(', ')}` }),
  ringSeconds: seconds('ring time', 5, 300),
  maxWaitSeconds: seconds('maximum wait', 10, 3600),
  overflow: queueOverflowSchema,
  wrapUpSeconds: seconds('wrap-up', 0, 600),
  serviceLevelSeconds: seconds('service level threshold', 5, 600),
  /** Codes the agent picks from in wrap-up (sale, callback, no_interest…). */
  dispositions: z
    .array(nameSchema('disposition'), { error: 'dispositions must be a list of codes' })
    .max(50, { error: 'at most 50 dispositions' })
    .transform((list) => [...new Set(list)]),
};

export const queueCreateSchema = z
  .object({
    ...queueFields,
    members: queueFields.members.default([]),
    strategy: queueFields.strategy.default('longest_idle'),
    ringSeconds: queueFields.ringSeconds.default(20),
    maxWaitSeconds: queueFields.maxWaitSeconds.default(300),
    overflow: queueOverflowSchema.default({ kind: 'refuse', reason: 'Nobody can take your call now' }),
    wrapUpSeconds: queueFields.wrapUpSeconds.default(30),
    serviceLevelSeconds: queueFields.serviceLevelSeconds.default(20),
    dispositions: queueFields.dispositions.default([]),
  })
  .strict();
export type QueueCreate = z.infer<typeof queueCreateSchema>;

export const queueUpdateSchema = z.object(queueFields).partial().strict();
export type QueueUpdate = z.infer<typeof queueUpdateSchema>;

export const queueSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  extension: z.string(),
  members: z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('user'),
        userId: z.number().int(),
        username: z.string(),
        priority: z.number().int(),
      }),
      z.object({
        kind: z.literal('group'),
        groupId: z.number().int(),
        name: z.string(),
        priority: z.number().int(),
      }),
    ]),
  ),
  strategy: z.enum(queueStrategies),
  ringSeconds: z.number().int(),
  maxWaitSeconds: z.number().int(),
  overflow: queueOverflowSchema,
  wrapUpSeconds: z.number().int(),
  serviceLevelSeconds: z.number().int(),
  dispositions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Queue = z.infer<typeof queueSchema>;
export const queueListSchema = z.object({ items: z.array(queueSchema) });

/** The wallboard's figures for one queue, today (server's time zone, from midnight). */
export const queueFiguresSchema = z.object({
  queueId: z.number().int(),
  name: z.string(),
  waiting: z.number().int(),
  longestWaitSeconds: z.number().int(),
  answeredToday: z.number().int(),
  abandonedToday: z.number().int(),
  /** Share of today's answered calls answered within the threshold (0–1); null before any. */
  serviceLevel: z.number().nullable(),
  averageHandleSeconds: z.number().nullable(),
  agents: z.object({
    available: z.number().int(),
    notReady: z.number().int(),
    busy: z.number().int(),
    wrapUp: z.number().int(),
    offline: z.number().int(),
  }),
});
export type QueueFigures = z.infer<typeof queueFiguresSchema>;
export const wallboardSchema = z.object({ queues: z.array(queueFiguresSchema), at: z.string() });
export type Wallboard = z.infer<typeof wallboardSchema>;

/** `PUT /api/calls/{callId}/wrap-up`: the agent's disposition and note for a queue call. */
export const callWrapUpSchema = z
  .object({
    disposition: nameSchema('disposition'),
    note: z
      .string({ error: 'note must be text' })
      .trim()
      .max(2000, { error: 'note must be at most 2000 characters' })
      .default(''),
  })
  .strict();
export type CallWrapUp = z.infer<typeof callWrapUpSchema>;
