import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { groups, users } from './directory';

// Queues, their members, agent states and reason codes, and the queue call log.

/**
 * Contact-center queues: a caller to the extension waits until an agent who is a member (or in a
 * member group) answers. The overflow target is JSON ({kind:'queue'|'user'|'refuse', …}).
 */
export const queues = pgTable('queues', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  extension: text('extension').notNull().unique(),
  strategy: text('strategy').notNull(),
  ringSeconds: integer('ring_seconds').notNull(),
  maxWaitSeconds: integer('max_wait_seconds').notNull(),
  overflow: jsonb('overflow').notNull(),
  wrapUpSeconds: integer('wrap_up_seconds').notNull(),
  serviceLevelSeconds: integer('service_level_seconds').notNull(),
  dispositions: text('dispositions')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A queue's members: a user or a whole group (exactly one of the two), with a priority. */
export const queueMembers = pgTable(
  'queue_members',
  {
    id: serial('id').primaryKey(),
    queueId: integer('queue_id')
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    priority: integer('priority').notNull(),
  },
  (t) => [
    uniqueIndex('queue_members_user_idx').on(t.queueId, t.userId),
    uniqueIndex('queue_members_group_idx').on(t.queueId, t.groupId),
    index('queue_members_by_user_idx').on(t.userId),
    index('queue_members_by_group_idx').on(t.groupId),
    check('queue_members_one_kind', sql`(${t.userId} is null) <> (${t.groupId} is null)`),
  ],
);

/** Reasons for Not ready that supervisors define (break, lunch, training…). */
export const reasonCodes = pgTable('reason_codes', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  label: text('label').notNull(),
  createdAt: createdAt(),
});

/** Every agent state change (who, from, to, when, why), for history and reports. */
export const agentStateChanges = pgTable(
  'agent_state_changes',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Kept as it was: the user may be renamed or deleted later. */
    username: text('username').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agent_state_changes_at_idx').on(t.at),
    index('agent_state_changes_user_idx').on(t.userId, t.at),
  ],
);

/**
 * One visit of a call to a queue (a call that overflows to another queue makes a second row):
 * when it came, how long it waited, what became of it (waiting, answered, abandoned,
 * overflowed), who answered, and the agent's disposition and note from wrap-up.
 */
export const queueCalls = pgTable(
  'queue_calls',
  {
    id: serial('id').primaryKey(),
    /** The SIP Call-ID, as on the call record. */
    callId: text('call_id').notNull(),
    queueId: integer('queue_id').references(() => queues.id, { onDelete: 'set null' }),
    /** The queue's name at the time (a queue may be renamed or deleted later). */
    queue: text('queue').notNull(),
    caller: text('caller').notNull(),
    callerName: text('caller_name'),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** How many times an agent was rung for it. */
    offers: integer('offers').notNull().default(0),
    outcome: text('outcome').notNull().default('waiting'),
    waitMs: integer('wait_ms'),
    agentId: integer('agent_id').references(() => users.id, { onDelete: 'set null' }),
    agentUsername: text('agent_username'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** When the agent's wrap-up for this call ended: handle time runs from answer to here. */
    wrapUpEndedAt: timestamp('wrap_up_ended_at', { withTimezone: true }),
    /** Where an overflowed call went ("queue sales", "user alice", "refused: …"). */
    overflowTo: text('overflow_to'),
    disposition: text('disposition'),
    note: text('note'),
  },
  (t) => [
    index('queue_calls_entered_idx').on(t.enteredAt),
    index('queue_calls_call_idx').on(t.callId),
    index('queue_calls_agent_idx').on(t.agentId, t.answeredAt),
    index('queue_calls_queue_idx').on(t.queueId, t.enteredAt),
  ],
);
