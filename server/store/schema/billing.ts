import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { profiles } from './directory';

// Credit (the account's and each profile's), the rate table and what calls were charged.

/**
 * The account (one per deployment, the row with id 1): its currency and the credit not
 * allocated to any profile, in whole minor units (cents), never below zero.
 */
export const creditAccount = pgTable(
  'credit_account',
  {
    id: integer('id').primaryKey().default(1),
    currency: text('currency').notNull().default('EUR'),
    balanceMinor: bigint('balance_minor', { mode: 'number' }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('credit_account_one_row', sql`${t.id} = 1`),
    check('credit_account_balance_not_negative', sql`${t.balanceMinor} >= 0`),
  ],
);

/** Credit allocated to a profile, in minor units, never below zero: its priced calls are paid from it. */
export const profileCredit = pgTable(
  'profile_credit',
  {
    profileId: integer('profile_id')
      .primaryKey()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    creditMinor: bigint('credit_minor', { mode: 'number' }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [check('profile_credit_not_negative', sql`${t.creditMinor} >= 0`)],
);

/** The rate table: price per minute (millionths of the currency) and billing increments by prefix. */
export const rates = pgTable('rates', {
  id: serial('id').primaryKey(),
  prefix: text('prefix').notNull().unique(),
  description: text('description').notNull().default(''),
  priceMicros: bigint('price_micros', { mode: 'number' }).notNull(),
  firstIncrement: integer('first_increment').notNull(),
  nextIncrement: integer('next_increment').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * What each priced call has been charged so far: written in the same transaction as each
 * charge to the profile's credit, so credit held plus charges always add up.
 */
export const callCharges = pgTable(
  'call_charges',
  {
    /** The SIP Call-ID of the agent's leg, as on the call record. */
    callId: text('call_id').primaryKey(),
    profileId: integer('profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    number: text('number').notNull(),
    /** The rate as it was when the call began. */
    prefix: text('prefix').notNull(),
    priceMicros: bigint('price_micros', { mode: 'number' }).notNull(),
    firstIncrement: integer('first_increment').notNull(),
    nextIncrement: integer('next_increment').notNull(),
    currency: text('currency').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull().default(0),
    /** Seconds paid for so far (whole increments). */
    billedSeconds: integer('billed_seconds').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('call_charges_profile_idx').on(t.profileId)],
);
