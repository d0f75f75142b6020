import { monitorModes, type MonitorMode } from '../../contracts/calls';
import type { LiveDialog, LiveParty } from '../sip/sip-control';
import type { Db } from '../store/database';
import { kamailioCalls } from '../store/schema';
import type { SipAccount } from '../store/sip-accounts-repository';
import type { KamailioAccounts } from './kamailio-accounts';
import { readKamailioRegistrations, type KamailioRegistration } from './kamailio-location';

/** What the API reads of the calls and phones through Kamailio, as of one read of the database. */
export type KamailioSnapshot = {
  dialogs: LiveDialog[];
  /** Calls in progress by profile id (a call within one profile counts once). */
  channels: Map<number, number>;
  /** Users with a phone registered, by profile id. */
  seats: Map<number, number>;
  phones: Map<number, { canMix: boolean }>;
  registrations: KamailioRegistration[];
};

/** The snapshot before the first read, and while Kamailio is off. */
export const emptySnapshot = (): KamailioSnapshot => ({
  dialogs: [],
  channels: new Map(),
  seats: new Map(),
  phones: new Map(),
  registrations: [],
});

const partyOf = (account: SipAccount | null, fallback: string): LiveParty =>
  account
    ? {
        userId: account.userId,
        username: account.username,
        displayName: account.displayName,
        extension: account.extension,
      }
    : { userId: null, username: fallback, displayName: fallback, extension: fallback };

/**
 * Reads `kamailio_calls` and the registered phones into a snapshot, counting each profile's
 * channels and seats the way the built-in edge does, so the policy and the pages agree.
 */
export async function readKamailioSnapshot(db: Db, accounts: KamailioAccounts): Promise<KamailioSnapshot> {
  const rows = await db.select().from(kamailioCalls);
  const registrations = await readKamailioRegistrations(db, accounts);
  const next: KamailioSnapshot = { ...emptySnapshot(), registrations };
  const count = (map: Map<number, number>, id: number | null) => {
    if (id !== null) map.set(id, (map.get(id) ?? 0) + 1);
  };
  for (const row of rows) {
    count(next.channels, row.callerProfileId);
    if (row.calleeProfileId !== row.callerProfileId) count(next.channels, row.calleeProfileId);
    const caller = row.callerUserId === null ? null : await accounts.byId(row.callerUserId);
    const callee = row.calleeUserId === null ? null : await accounts.byId(row.calleeUserId);
    const mode = monitorModes.find((m) => m === row.monitorMode);
    next.dialogs.push({
      id: row.callId,
      callId: row.callId,
      state: row.answeredAt ? 'answered' : 'ringing',
      startedAt: row.startedAt,
      answeredAt: row.answeredAt,
      caller: partyOf(caller, 'unknown'),
      callee: partyOf(callee, 'unknown'),
      monitor:
        row.monitorsCallId && mode
          ? { targetId: row.monitorsCallId, mode: mode satisfies MonitorMode }
          : null,
    });
  }
  for (const { seat, canMix } of registrations) {
    const phone = next.phones.get(seat.userId);
    // A user's phones take one seat of their profile however many are registered.
    if (!phone) count(next.seats, seat.profileId);
    next.phones.set(seat.userId, { canMix: canMix || (phone?.canMix ?? false) });
  }
  return next;
}
