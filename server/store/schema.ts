import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  customType,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

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

export const auditLog = pgTable(
  'audit_log',
  {
    id: serial('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: integer('actor_id'),
    actorUsername: text('actor_username').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token: a copy of the table does not sign anyone in. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Server-wide secrets and settings generated on first start (e.g. the SIP credential secret). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

/** Binary data as PostgreSQL's bytea (recording chunks and files with DATABASE_URL). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Call recordings: one per recording user and call, made by that user's phone. The audio is
 * kept as chunks while the call goes, then as one WebM file (in DATA_DIR, or in
 * recording_blobs with DATABASE_URL).
 */
export const recordings = pgTable(
  'recordings',
  {
    id: text('id').primaryKey(),
    /** The SIP Call-ID, as on the call record. */
    callId: text('call_id').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    username: text('username').notNull(),
    /** recording, ready or failed. */
    state: text('state').notNull().default('recording'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    lastChunkAt: timestamp('last_chunk_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    /** RecordingPause[] as JSON. */
    pauses: jsonb('pauses')
      .notNull()
      .default(sql`'[]'::jsonb`),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('recordings_call_id_idx').on(t.callId),
    index('recordings_expires_idx').on(t.expiresAt),
    index('recordings_state_idx').on(t.state),
  ],
);

/**
 * With DATABASE_URL, where the audio lives: chunk `seq` ≥ 0 as uploaded, and the assembled file
 * as seq -1. Several servers share one database but not one disk.
 */
export const recordingBlobs = pgTable(
  'recording_blobs',
  {
    recordingId: text('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.seq] })],
);

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

/**
 * What Kamailio's auth_db reads when Kamailio is the SIP edge (deploy/kamailio): one row per
 * digest username — each user, and each desk phone with its own credentials — with the HA1s the
 * servers already keep. A view, so there is no copy to keep current. `switchboard_user` is the
 * user the credentials belong to (auth_db's load_credentials hands it to the policy callout).
 */
export const kamailioSubscriber = pgView('kamailio_subscriber', {
  username: text('username').notNull(),
  domain: text('domain').notNull(),
  ha1: text('ha1').notNull(),
  ha1Sha256: text('ha1_sha256').notNull(),
  switchboardUser: text('switchboard_user').notNull(),
}).as(
  sql`select u.username, u.sip_realm as domain, u.ha1_md5 as ha1, u.ha1_sha256, u.username as switchboard_user from users u union all select d.sip_username, d.sip_realm, d.ha1_md5, d.ha1_sha256, u.username from devices d join users u on u.id = d.user_id where d.kind = 'sip_phone'`,
);

/**
 * Kamailio's usrloc table (its `location` schema, version 9) under a name of its own: with
 * usrloc's db_mode 3 every Kamailio instance reads and writes registrations here, so any of them
 * reaches any phone, and the policy endpoint counts a profile's seats from it.
 */
export const kamailioLocation = pgTable(
  'kamailio_location',
  {
    id: serial('id').primaryKey(),
    ruid: text('ruid').notNull().default('').unique(),
    username: text('username').notNull().default(''),
    domain: text('domain'),
    contact: text('contact').notNull().default(''),
    received: text('received'),
    path: text('path'),
    expires: timestamp('expires')
      .notNull()
      .default(sql`'2030-05-28 21:32:15'`),
    q: real('q').notNull().default(1),
    callid: text('callid').notNull().default('Default-Call-ID'),
    cseq: integer('cseq').notNull().default(1),
    lastModified: timestamp('last_modified')
      .notNull()
      .default(sql`'2000-01-01 00:00:01'`),
    flags: integer('flags').notNull().default(0),
    cflags: integer('cflags').notNull().default(0),
    userAgent: text('user_agent').notNull().default(''),
    socket: text('socket'),
    methods: integer('methods'),
    instance: text('instance'),
    regId: integer('reg_id').notNull().default(0),
    serverId: integer('server_id').notNull().default(0),
    connectionId: integer('connection_id').notNull().default(0),
    keepalive: integer('keepalive').notNull().default(0),
    partition: integer('partition').notNull().default(0),
  },
  (t) => [
    index('kamailio_location_account_contact_idx').on(t.username, t.domain, t.contact),
    index('kamailio_location_expires_idx').on(t.expires),
    index('kamailio_location_connection_idx').on(t.serverId, t.connectionId),
  ],
);

/**
 * Calls in progress through Kamailio, as its dialog events report them (server/kamailio): the
 * Call-ID is the key, so two Kamailio instances (or a retry) reporting one call make one row and
 * one call record. Every Switchboard server counts channels and lists live calls from here.
 */
export const kamailioCalls = pgTable(
  'kamailio_calls',
  {
    callId: text('call_id').primaryKey(),
    recordId: integer('record_id'),
    callerUserId: integer('caller_user_id').references(() => users.id, { onDelete: 'set null' }),
    calleeUserId: integer('callee_user_id').references(() => users.id, { onDelete: 'set null' }),
    callerProfileId: integer('caller_profile_id'),
    calleeProfileId: integer('callee_profile_id'),
    /** Set on a monitor session: the Call-ID of the call it monitors, and the mode. */
    monitorsCallId: text('monitors_call_id'),
    monitorMode: text('monitor_mode'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('kamailio_calls_caller_profile_idx').on(t.callerProfileId),
    index('kamailio_calls_callee_profile_idx').on(t.calleeProfileId),
  ],
);
