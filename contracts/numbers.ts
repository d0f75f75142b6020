import { z } from 'zod';
import { e164Schema } from './phone-numbers';

const refId = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .positive({ error: `${what} must be positive` });

/**
 * Where a carrier's call to the number goes: a user (every registered phone rings), a group
 * (every signed-in member rings, the first to answer takes it), a queue (the caller waits for
 * an Available agent), or nobody yet (404 to callers).
 */
export const numberAssignmentSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('user'), userId: refId('user') }).strict(),
      z.object({ kind: z.literal('group'), groupId: refId('group') }).strict(),
      z.object({ kind: z.literal('queue'), queueId: refId('queue') }).strict(),
    ],
    { error: 'assignment must be a user (userId), a group (groupId) or a queue (queueId), or null' },
  )
  .nullable();
export type NumberAssignment = z.infer<typeof numberAssignmentSchema>;

/**
 * The profile a number is allocated to from the account's pool (null: in the pool). A number
 * of a profile rings only a user on that profile (or a group).
 */
const numberProfileSchema = refId('profile').nullable();

export const numberCreateSchema = z
  .object({
    number: e164Schema('number'),
    profileId: numberProfileSchema.default(null),
    assignment: numberAssignmentSchema.default(null),
    label: z
      .string({ error: 'label must be text' })
      .trim()
      .max(80, { error: 'label must be at most 80 characters' })
      .default(''),
  })
  .strict();
export type NumberCreate = z.infer<typeof numberCreateSchema>;

export const numberUpdateSchema = z
  .object({
    profileId: numberProfileSchema,
    assignment: numberAssignmentSchema,
    label: z
      .string({ error: 'label must be text' })
      .trim()
      .max(80, { error: 'label must be at most 80 characters' }),
  })
  .partial()
  .strict();
export type NumberUpdate = z.infer<typeof numberUpdateSchema>;

export const phoneNumberSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  label: z.string(),
  /** The profile it is allocated to; null: in the account's pool. */
  profile: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  assignment: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('user'),
        userId: z.number().int(),
        username: z.string(),
        displayName: z.string(),
      }),
      z.object({ kind: z.literal('group'), groupId: z.number().int(), name: z.string() }),
      z.object({ kind: z.literal('queue'), queueId: z.number().int(), name: z.string() }),
    ])
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

export const phoneNumberListSchema = z.object({ items: z.array(phoneNumberSchema) });
export type PhoneNumberList = z.infer<typeof phoneNumberListSchema>;
