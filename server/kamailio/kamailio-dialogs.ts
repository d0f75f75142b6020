import { and, eq, isNull } from 'drizzle-orm';
import { monitorModes, type Disposition } from '../../contracts/calls';
import type { LiveEvent } from '../../contracts/events';
import type { KamailioDialogEvent } from '../../contracts/kamailio';
import { parseMonitorMark } from '../../contracts/monitor-header';
import { dispositionForStatus } from '../sip/proxy/call-outcome';
import { userCallRecord } from '../sip/records/user-call-record';
import type { Db } from '../store/database';
import { callRecords, kamailioCalls } from '../store/schema';
import type { SipAccount } from '../store/sip-accounts-repository';
import type { KamailioAccounts } from './kamailio-accounts';
import type { KamailioCallRow } from './kamailio-instances';
import { kamailioMonitoring, type KamailioMonitorSession } from './kamailio-monitoring';
import { sipUserOf } from './sip-user';

/** Where a dialog event is written, and whose accounts its parties are. */
export type KamailioDialogStore = { db: Db; accounts: KamailioAccounts };

/** Monitor sessions write audit entries, as on the built-in edge. */
export const auditEvent: LiveEvent = { entity: 'audit', id: null };

/** The INVITE's parts a call record is written from. */
export type KamailioRequest = { callId: string; fromUri: string; requestUri: string };

/** The record's columns for a call from `caller` to `callee` (null: no such user, dialled as written). */
export function recordOf(caller: SipAccount, callee: SipAccount | null, request: KamailioRequest) {
  const target = sipUserOf(request.requestUri) ?? '';
  const host = /@([^;>?]+)/.exec(request.requestUri)?.[1] ?? '';
  return userCallRecord(caller, callee, { callId: request.callId, fromUri: request.fromUri, target, host });
}

/** The operator and agent of a monitor session's row (null for a call). */
export async function sessionOf(
  accounts: KamailioAccounts,
  row: KamailioCallRow,
): Promise<KamailioMonitorSession | null> {
  if (!row.monitorsCallId || row.callerUserId === null || row.calleeUserId === null) return null;
  const operator = await accounts.byId(row.callerUserId);
  const agent = await accounts.byId(row.calleeUserId);
  if (!operator || !agent) return null;
  return {
    callId: row.callId,
    monitorsCallId: row.monitorsCallId,
    operator: { id: operator.userId, username: operator.username },
    agent: { username: agent.username },
  };
}

/**
 * A dialog started: its row, and (a call, not a monitor session) its record, in one transaction.
 * A call another Kamailio (or a retry) reported first changes nothing. Answers the events to publish.
 */
export async function startDialog(
  { db, accounts }: KamailioDialogStore,
  event: KamailioDialogEvent,
): Promise<LiveEvent[]> {
  const caller = await accounts.byUsername(event.user);
  if (!caller) return [];
  const target = sipUserOf(event.requestUri) ?? '';
  const callee = (await accounts.byUsername(target)) ?? (await accounts.byExtension(target));
  const mark = parseMonitorMark(event.monitor);
  const started = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(kamailioCalls)
      .values({
        callId: event.callId,
        callerUserId: caller.userId,
        calleeUserId: callee?.userId ?? null,
        callerProfileId: caller.profile?.id ?? null,
        calleeProfileId: callee?.profile?.id ?? null,
        monitorsCallId: mark?.callId ?? null,
        monitorMode: mark?.mode ?? null,
        instance: event.instance ?? null,
        boot: event.boot ?? null,
      })
      .onConflictDoNothing()
      .returning({ callId: kamailioCalls.callId });
    // Another Kamailio (or a retry) reported this call first; its record stands.
    if (!row) return null;
    // A monitor session has no record of its own (its entry goes in the monitored call's).
    if (mark) return { recordId: null };
    const [record] = await tx
      .insert(callRecords)
      .values(recordOf(caller, callee, event))
      .onConflictDoNothing()
      .returning({ id: callRecords.id });
    if (!record) return { recordId: null };
    await tx.update(kamailioCalls).set({ recordId: record.id }).where(eq(kamailioCalls.callId, event.callId));
    return { recordId: record.id };
  });
  // The `call` event lets the panels see it ring (a monitor session: by its Call-ID).
  return started ? [{ entity: 'call', id: started.recordId ?? event.callId }] : [];
}

/** A dialog was answered: its row, and its record or monitoring entry, say so (once). */
export async function answerDialog(
  { db, accounts }: KamailioDialogStore,
  event: KamailioDialogEvent,
): Promise<LiveEvent[]> {
  const now = new Date();
  const [row] = await db
    .update(kamailioCalls)
    .set({ answeredAt: now })
    .where(and(eq(kamailioCalls.callId, event.callId), isNull(kamailioCalls.answeredAt)))
    .returning();
  if (!row) return [];
  const session = await sessionOf(accounts, row);
  if (session) {
    const mode = monitorModes.find((m) => m === row.monitorMode) ?? 'listen';
    const recordId = await kamailioMonitoring.answered(db, session, mode, now);
    return [{ entity: 'call', id: recordId }, auditEvent];
  }
  if (row.recordId === null) return [];
  await db
    .update(callRecords)
    .set({ answeredAt: now })
    .where(and(eq(callRecords.id, row.recordId), isNull(callRecords.answeredAt)));
  return [{ entity: 'call', id: row.recordId }];
}

/** A dialog ended: its row is taken out (by whichever server gets there first) and its record ended. */
export async function endDialog(
  store: KamailioDialogStore,
  event: KamailioDialogEvent,
): Promise<LiveEvent[]> {
  return takeOutDialog(store, event.callId, event.status ?? 480, event.reason ?? null);
}

/**
 * Takes a call's row out and ends its record (or, a monitor session, its entry in the monitored
 * call's record) in one transaction: whoever reads the row gone reads the record ended, and a
 * failure in between leaves the row for the next report or sweep. The parties are looked up
 * before the transaction (a directory miss reads the database). Answers the events to publish;
 * none when another server took the row first.
 */
export async function takeOutDialog(
  { db, accounts }: KamailioDialogStore,
  callId: string,
  status: number,
  reason: string | null,
): Promise<LiveEvent[]> {
  const [seen] = await db.select().from(kamailioCalls).where(eq(kamailioCalls.callId, callId));
  if (!seen) return [];
  const session = await sessionOf(accounts, seen);
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(kamailioCalls).where(eq(kamailioCalls.callId, callId)).returning();
    if (!row) return [];
    const unanswered = row.answeredAt ? null : reason;
    if (session) {
      const recordId = await kamailioMonitoring.ended(tx, session, unanswered);
      return [{ entity: 'call', id: recordId }, auditEvent];
    }
    if (row.recordId === null) return [];
    const disposition: Disposition = row.answeredAt ? 'answered' : dispositionForStatus(status);
    await tx
      .update(callRecords)
      .set({ endedAt: new Date(), disposition, reason: unanswered })
      .where(and(eq(callRecords.id, row.recordId), isNull(callRecords.endedAt)));
    return [{ entity: 'call', id: row.recordId }];
  });
}
