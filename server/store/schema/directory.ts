import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';

// Who is who: profiles, users (with the search expression), groups and their members, and each user's devices.

/**
 * What the user search looks in: username, display name, extension and email, lower-cased and
 * joined by U+001F (a separator nobody types, so a search does not match across two fields).
 * The trigram index is built on exactly this expression and the search compares with it.
 */
export function userSearchText(t: {
  username: AnyPgColumn;
  displayName: AnyPgColumn;
  extension: AnyPgColumn;
  email: AnyPgColumn;
}): SQL {
  return sql`(lower(${t.username} || E'\\x1f' || ${t.displayName} || E'\\x1f' || ${t.extension} || E'\\x1f' || coalesce(${t.email}, '')))`;
}

export const profiles = pgTable('profiles', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  capacity: integer('capacity').notNull(),
  channelLimit: integer('channel_limit').notNull(),
  flags: text('flags')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  bargeGroup: text('barge_group'),
  monitorNotice: boolean('monitor_notice').notNull().default(false),
  /** off, always or on_demand. */
  recording: text('recording').notNull().default('off'),
  recordingRetentionDays: integer('recording_retention_days').notNull().default(90),
  recordingNotice: boolean('recording_notice').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    extension: text('extension').notNull().unique(),
    location: text('location'),
    role: text('role').notNull(),
    profileId: integer('profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    callListPrivacy: text('call_list_privacy').notNull().default('complete'),
    passwordHash: text('password_hash').notNull(),
    /** SIP digest HA1 = H(username:realm:password), MD5 and SHA-256 (RFC 8760). */
    ha1Md5: text('ha1_md5').notNull(),
    ha1Sha256: text('ha1_sha256').notNull(),
    sipRealm: text('sip_realm').notNull(),
    /**
     * Part of every short-lived SIP credential issued to the user; bumped on sign-out, password
     * reset and a new role or profile, which ends the credentials issued before.
     */
    sipCredentialGeneration: integer('sip_credential_generation').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('users_profile_idx').on(t.profileId),
    index('users_display_name_idx').on(sql`lower(${t.displayName})`),
    // The user search: one trigram index (pg_trgm) over the searched fields (see userSearchText).
    // fastupdate off: a new user goes into the index at once, not into a pending list that only
    // a vacuum merges (PGlite runs no autovacuum) and that every search would read row by row.
    index('users_search_trgm_idx')
      .using('gin', sql`${userSearchText(t)} gin_trgm_ops`)
      .with({ fastupdate: false }),
  ],
);

export const groups = pgTable('groups', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/**
 * A user's devices beside the browser phone: a desk SIP phone (its own digest username and HA1s,
 * never the password) or an external number an incoming call also rings through a trunk.
 */
export const devices = pgTable(
  'devices',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sip_phone or external_number. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** A desk phone's digest username, `<username>-<random>` (a user's name has no `-`). */
    sipUsername: text('sip_username').unique(),
    ha1Md5: text('ha1_md5'),
    ha1Sha256: text('ha1_sha256'),
    sipRealm: text('sip_realm'),
    /** An external number, E.164. */
    number: text('number'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('devices_user_idx').on(t.userId),
    check(
      'devices_kind',
      sql`(${t.kind} = 'sip_phone' and ${t.sipUsername} is not null and ${t.ha1Md5} is not null and ${t.ha1Sha256} is not null and ${t.number} is null) or (${t.kind} = 'external_number' and ${t.number} is not null and ${t.sipUsername} is null)`,
    ),
  ],
);
