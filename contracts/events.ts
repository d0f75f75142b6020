import { z } from 'zod';

export const eventEntities = [
  'profile',
  'user',
  'group',
  'call',
  'registration',
  'audit',
  'trunk',
  'number',
  'queue',
  'reason_code',
  /** An agent's state changed (id: the user). */
  'agent',
  /** The account's balance or a profile's credit changed (id: the profile, or null). */
  'credit',
  /** The rate table changed. */
  'rate',
  /** A user's devices changed (id: the user). */
  'device',
] as const;
export type EventEntity = (typeof eventEntities)[number];

/** What the server pushes on `/api/events`: the app answers with `invalidateQueries`. */
export const liveEventSchema = z.object({
  entity: z.enum(eventEntities),
  id: z.union([z.number(), z.string()]).nullable(),
});
export type LiveEvent = z.infer<typeof liveEventSchema>;
