import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, pgView, real, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './directory';

// What Kamailio reads and writes when it is the SIP edge (deploy/kamailio).

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
    /** The Kamailio instance that admitted the call, and its start time (Unix seconds): the call ends with that run. */
    instance: text('instance'),
    boot: bigint('boot', { mode: 'number' }),
  },
  (t) => [
    index('kamailio_calls_caller_profile_idx').on(t.callerProfileId),
    index('kamailio_calls_callee_profile_idx').on(t.calleeProfileId),
    index('kamailio_calls_instance_idx').on(t.instance),
  ],
);

/**
 * Each Kamailio instance's last keepalive: its start time (a newer one ends the calls of its
 * earlier run) and when it was heard (silence past KAMAILIO_SILENCE_S ends its calls).
 */
export const kamailioInstances = pgTable('kamailio_instances', {
  instance: text('instance').primaryKey(),
  boot: bigint('boot', { mode: 'number' }).notNull(),
  heardAt: timestamp('heard_at', { withTimezone: true }).notNull().defaultNow(),
});
