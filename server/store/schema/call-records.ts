import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './directory';

// One record per call, written by the SIP edge.

export const callRecords = pgTable(
  'call_records',
  {
    id: serial('id').primaryKey(),
    callId: text('call_id').notNull(),
    fromUri: text('from_uri').notNull(),
    fromName: text('from_name'),
    fromUserId: integer('from_user_id').references(() => users.id, { onDelete: 'set null' }),
    toUri: text('to_uri').notNull(),
    toName: text('to_name'),
    toUserId: integer('to_user_id').references(() => users.id, { onDelete: 'set null' }),
    callerProfileId: integer('caller_profile_id'),
    callerProfile: text('caller_profile'),
    calleeProfileId: integer('callee_profile_id'),
    calleeProfile: text('callee_profile'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    disposition: text('disposition'),
    reason: text('reason'),
    monitoring: jsonb('monitoring')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** internal, outbound or inbound (over a trunk). */
    direction: text('direction').notNull().default('internal'),
    /** The customer's E.164 number on a trunk call. */
    number: text('number'),
    /** The trunk's name at the time of the call (a trunk may be renamed or deleted later). */
    trunk: text('trunk'),
    /** What a priced trunk call cost, in minor units of `charge_currency`; null: not charged. */
    chargeMinor: bigint('charge_minor', { mode: 'number' }),
    chargeCurrency: text('charge_currency'),
  },
  (t) => [
    uniqueIndex('call_records_call_id_idx').on(t.callId),
    index('call_records_started_idx').on(t.startedAt),
    index('call_records_from_user_idx').on(t.fromUserId),
    index('call_records_to_user_idx').on(t.toUserId),
    index('call_records_caller_profile_idx').on(t.callerProfileId),
    index('call_records_callee_profile_idx').on(t.calleeProfileId),
  ],
);
