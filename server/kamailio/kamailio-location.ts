import { and, eq, sql } from 'drizzle-orm';
import type { Seat } from '../../contracts/sip';
import type { PhoneRegistration } from '../sip/sip-control';
import type { Db } from '../store/database';
import { devices, kamailioLocation, kamailioSubscriber } from '../store/schema';
import type { SipAccount } from '../store/sip-accounts-repository';

/** The branch flag Kamailio sets on a REGISTER whose Contact carries `+switchboard.mix` (saved as cflags). */
export const MIX_CFLAG = 1 << 7;

/** Seat ids of phones registered through Kamailio start with this (the rest is the row's ruid). */
export const KAMAILIO_SEAT_PREFIX = 'kamailio:';

/** One phone registered through Kamailio (an unexpired `kamailio_location` row), as the console shows it. */
export type KamailioRegistration = {
  seat: Seat;
  registration: PhoneRegistration;
  canMix: boolean;
  /** When it runs out (this server's clock), for the expiry sweep. */
  expiresAtMs: number;
};

/**
 * Where the phone is and over what: the WebSocket peer Kamailio noted (the `received` column,
 * or the `received` parameter of the Path it saved), else the Contact's own address.
 */
export function addressOf(row: { received: string | null; path: string | null; contact: string }): {
  transport: string;
  remoteAddress: string;
} {
  const fromPath = /;received=([^;>]+)/.exec(row.path ?? '')?.[1];
  const uri = row.received || (fromPath ? decodeURIComponent(fromPath) : '') || row.contact;
  const hostPort = /^<?sips?:(?:[^@;>]*@)?(\[[^\]]+\](?::\d+)?|[^;>?]+)/i.exec(uri)?.[1] ?? uri;
  const transport = /;transport=([a-z]+)/i.exec(uri)?.[1]?.toLowerCase() ?? 'udp';
  return { transport, remoteAddress: hostPort };
}

/**
 * The unexpired registrations in `kamailio_location`, oldest first. Times are read relative to
 * the database's clock (Kamailio writes local timestamps, compared with `localtimestamp`) and
 * placed on this server's, so neither time zones nor clock skew move them. Kamailio keeps no
 * first-registered time: `since` is the last REGISTER (a refresh moves it).
 */
export async function readKamailioRegistrations(
  db: Db,
  accounts: { byUsername(username: string): Promise<SipAccount | null> },
): Promise<KamailioRegistration[]> {
  const rows = await db
    .select({
      ruid: kamailioLocation.ruid,
      contact: kamailioLocation.contact,
      received: kamailioLocation.received,
      path: kamailioLocation.path,
      userAgent: kamailioLocation.userAgent,
      cflags: kamailioLocation.cflags,
      switchboardUser: kamailioSubscriber.switchboardUser,
      deviceId: devices.id,
      expiresInS: sql<number>`extract(epoch from ${kamailioLocation.expires} - localtimestamp)::float8`,
      ageS: sql<number>`extract(epoch from localtimestamp - ${kamailioLocation.lastModified})::float8`,
    })
    .from(kamailioLocation)
    .innerJoin(kamailioSubscriber, eq(kamailioSubscriber.username, kamailioLocation.username))
    .leftJoin(devices, and(eq(devices.sipUsername, kamailioLocation.username), eq(devices.kind, 'sip_phone')))
    .where(sql`${kamailioLocation.expires} > localtimestamp`)
    .orderBy(kamailioLocation.lastModified, kamailioLocation.id);
  const now = Date.now();
  const found: KamailioRegistration[] = [];
  for (const row of rows) {
    const account = await accounts.byUsername(row.switchboardUser);
    // No profile: the policy refuses its REGISTER, so such a row is a leftover; no seat.
    if (!account?.profile) continue;
    const { transport, remoteAddress } = addressOf(row);
    const since = new Date(now - Number(row.ageS) * 1000).toISOString();
    const expiresAtMs = now + Number(row.expiresInS) * 1000;
    const expiresAt = new Date(expiresAtMs).toISOString();
    const userAgent = row.userAgent === '' ? null : row.userAgent;
    found.push({
      seat: {
        id: `${KAMAILIO_SEAT_PREFIX}${row.ruid}`,
        userId: account.userId,
        username: account.username,
        displayName: account.displayName,
        extension: account.extension,
        profileId: account.profile.id,
        profileName: account.profile.name,
        since,
        expiresAt,
        userAgent,
        remoteAddress,
      },
      registration: { deviceId: row.deviceId, transport, remoteAddress, userAgent, since, expiresAt },
      canMix: (row.cflags & MIX_CFLAG) !== 0,
      expiresAtMs,
    });
  }
  return found;
}

/**
 * Takes out the registrations that ran out and answers their addresses (SIP usernames). One
 * `DELETE … RETURNING`, so of several servers sweeping at once exactly one announces each;
 * Kamailio (db_mode 3) would delete the same rows on its own timer, `rm_expired_delay` later.
 */
export async function takeExpiredRegistrations(db: Db): Promise<string[]> {
  const rows = await db
    .delete(kamailioLocation)
    .where(sql`${kamailioLocation.expires} <= localtimestamp`)
    .returning({ username: kamailioLocation.username });
  return [...new Set(rows.map((row) => row.username))];
}
