import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { queues } from './contact-center';
import { groups, profiles, users } from './directory';

// Trunks to carriers and the numbers they route to us.

/**
 * SIP trunks to carriers or PBXes. A registering trunk's password is kept encrypted
 * (`password_sealed`, AES-256-GCM under a key the server generated) because the edge must send
 * it; it is never in an API answer.
 */
export const trunks = pgTable('trunks', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  transport: text('transport').notNull(),
  /** register or ip */
  authKind: text('auth_kind').notNull(),
  username: text('username'),
  passwordSealed: text('password_sealed'),
  addresses: text('addresses')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  callerId: text('caller_id').notNull(),
  /** The NumberFormat contract as JSON ({kind:'e164'} or national with its prefixes). */
  numberFormat: jsonb('number_format').notNull(),
  prefixes: text('prefixes')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  priority: integer('priority').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** E.164 numbers the carriers route to us, each ringing a user, a group, or nobody yet. */
export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: serial('id').primaryKey(),
    number: text('number').notNull().unique(),
    label: text('label').notNull().default(''),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    /** The profile it is allocated to; null: in the account's pool. */
    profileId: integer('profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    /** A queue the number's callers wait in (instead of a user or a group). */
    queueId: integer('queue_id').references(() => queues.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('phone_numbers_user_idx').on(t.userId),
    index('phone_numbers_group_idx').on(t.groupId),
    index('phone_numbers_profile_idx').on(t.profileId),
    index('phone_numbers_queue_idx').on(t.queueId),
  ],
);
