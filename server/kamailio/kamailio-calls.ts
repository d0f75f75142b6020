import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Disposition, MonitorMode } from '../../contracts/calls';
import type { Seat } from '../../contracts/sip';
import { monitorModes } from '../../contracts/calls';
import type {
  KamailioDialogEvent,
  KamailioKeepalive,
  KamailioRegistrationEvent,
} from '../../contracts/kamailio';
import { parseMonitorMark } from '../../contracts/monitor-header';
import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import { dispositionForStatus } from '../sip/proxy/call-outcome';
import type { LiveDialog, LiveParty, PhoneRegistration } from '../sip/sip-control';
import type { SipAccount } from '../store/sip-accounts-repository';
import type { Db } from '../store/database';
import { callRecords, kamailioCalls } from '../store/schema';
import { heardFrom, takeDeadCalls, type KamailioCallRow } from './kamailio-instances';
import {
  KAMAILIO_SEAT_PREFIX,
  readKamailioRegistrations,
  type KamailioRegistration,
} from './kamailio-location';
import { kamailioMonitoring, type KamailioMonitorSession } from './kamailio-monitoring';
import { RegistrationExpiry } from './registration-expiry';
import { sipUserOf } from './sip-user';

/** Who a call's parties are: the directory the edge uses, by username or extension. */
export interface KamailioAccounts {
  byUsername(username: string): Promise<SipAccount | null>;
  byExtension(extension: string): Promise<SipAccount | null>;
  byId(userId: number): Promise<SipAccount | null>;
}

export { MIX_CFLAG } from './kamailio-location';

type Snapshot = {
  dialogs: LiveDialog[];
  channels: Map<number, number>;
  seats: Map<number, number>;
  phones: Map<number, { canMix: boolean }>;
  registrations: KamailioRegistration[];
};

/** Monitor sessions write audit entries, as on the built-in edge. */
const auditEvent: LiveEvent = { entity: 'audit', id: null };

const emptySnapshot = (): Snapshot => ({
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
 * Calls in progress through Kamailio, kept in PostgreSQL (`kamailio_calls`) so that every
 * Switchboard server behind the Kamailio instances counts the same channels and lists the same
 * calls, whichever server a dialog event reached. The call record is written with the row, in
 * one transaction, so a call two Kamailio instances (or a retry) report is recorded once.
 * Reads for the API (operator panel, profiles' live counts) come from a snapshot read again
 * after each `call` or `registration` event (this server's or, with events crossing servers,
 * another's) and when older than a second. This server's events are published only once the
 * snapshot holds the change they announce; `settled()` waits for one that holds another
 * server's, so a page that refreshes on the event reads what it announced.
 */
export class KamailioCalls {
  #snapshot: Snapshot = emptySnapshot();
  #readAt = 0;
  #refreshing: Promise<boolean> | null = null;
  /** Changes heard so far (counted), and how many of them the snapshot holds. */
  #heard = 0;
  #held = 0;
  /** True while this server publishes: its own events need no second read. */
  #publishing = false;
  /** Announces the registrations that run out (Kamailio does not). */
  readonly #expiry: RegistrationExpiry;

  constructor(
    private readonly options: {
      db: Db;
      events: EventBus;
      accounts: KamailioAccounts;
      log: Logger;
      /** Off (no Kamailio configured): the reads answer empty and nothing is queried. */
      enabled: boolean;
      /** A read older than this is refreshed on the next read (default 1 s). */
      maxAgeMs?: number;
      /** An instance not heard from for this long is gone: its calls are ended (default 60 s). */
      silenceMs?: number;
    },
  ) {
    this.#expiry = new RegistrationExpiry({
      db: options.db,
      log: options.log,
      announce: (aors) =>
        this.#publishFresh(aors.map((aor) => ({ entity: 'registration', id: `kamailio:${aor}` }))),
      reread: () => this.refresh(),
    });
    // Another server's dialog or registration report arrives as its event: read again.
    if (options.enabled)
      options.events.subscribe((event) => {
        if (!this.#publishing && (event.entity === 'call' || event.entity === 'registration'))
          void this.refresh();
      });
  }

  /** Resolves once the snapshot holds every change heard so far (and is not older than maxAgeMs). */
  async settled(): Promise<void> {
    if (!this.options.enabled) return;
    if (this.#held < this.#heard || Date.now() - this.#readAt > (this.options.maxAgeMs ?? 1000))
      await this.refresh();
  }

  liveDialogs(): LiveDialog[] {
    return this.#current().dialogs;
  }

  channelsInUse(profileId: number): number {
    return this.#current().channels.get(profileId) ?? 0;
  }

  seatsInUse(profileId: number): number {
    return this.#current().seats.get(profileId) ?? 0;
  }

  /** Whether the user has a phone registered through Kamailio, and whether one can mix monitor sessions. */
  phonesOf(userId: number): { registered: boolean; canMix: boolean } {
    const phone = this.#current().phones.get(userId);
    return { registered: phone !== undefined, canMix: phone?.canMix ?? false };
  }

  /** Phones registered through Kamailio, as seats (oldest first). */
  seats(): Seat[] {
    return this.#current().registrations.map((r) => r.seat);
  }

  /** Whether a seat id is a phone registered through Kamailio. */
  isKamailioSeat(id: string): boolean {
    return id.startsWith(KAMAILIO_SEAT_PREFIX);
  }

  /** A user's phones registered through Kamailio (oldest first), as the devices page shows them. */
  registrationsOf(userId: number): PhoneRegistration[] {
    return this.#current()
      .registrations.filter((r) => r.seat.userId === userId)
      .map((r) => r.registration);
  }

  /** The snapshot; a stale one is read again in the background (no timer runs). */
  #current(): Snapshot {
    if (this.options.enabled && Date.now() - this.#readAt > (this.options.maxAgeMs ?? 1000))
      void this.refresh();
    return this.#snapshot;
  }

  /** The exact count, from the database, for a policy decision. */
  async channelsInUseNow(profileId: number): Promise<number> {
    const rows = await this.options.db
      .select({ n: sql<number>`count(*)::int` })
      .from(kamailioCalls)
      .where(or(eq(kamailioCalls.callerProfileId, profileId), eq(kamailioCalls.calleeProfileId, profileId)));
    return rows[0]?.n ?? 0;
  }

  /** The answered call a user is on now (the one a monitor session would attach to). */
  async answeredCallOf(userId: number, callId: string | null) {
    const rows = await this.options.db
      .select()
      .from(kamailioCalls)
      .where(
        and(
          or(eq(kamailioCalls.callerUserId, userId), eq(kamailioCalls.calleeUserId, userId)),
          isNull(kamailioCalls.monitorsCallId),
          sql`${kamailioCalls.answeredAt} is not null`,
          callId === null ? undefined : eq(kamailioCalls.callId, callId),
        ),
      )
      .limit(1);
    return rows[0] ?? null;
  }

  async byCallId(callId: string) {
    const rows = await this.options.db.select().from(kamailioCalls).where(eq(kamailioCalls.callId, callId));
    return rows[0] ?? null;
  }

  /**
   * Applies one dialog event; repeated or late events change nothing. The `call` event goes out
   * after the snapshot is read again, so pages refreshing on it see the change.
   */
  async apply(event: KamailioDialogEvent): Promise<void> {
    const changed =
      event.event === 'start'
        ? await this.#start(event)
        : event.event === 'answer'
          ? await this.#answer(event)
          : await this.#end(event);
    await this.#publishFresh(changed);
  }

  /**
   * A phone's registration through Kamailio changed (kamailio_location holds it already): read
   * again, then tell pages, as the built-in edge's registrar does with its `registration` event.
   */
  async registration(event: KamailioRegistrationEvent): Promise<void> {
    await this.#publishFresh([{ entity: 'registration', id: `kamailio:${event.aor}` }]);
  }

  /** A Kamailio instance is alive: note it, and end the calls no instance will report the end of. */
  async keepalive(keepalive: KamailioKeepalive): Promise<void> {
    await heardFrom(this.options.db, keepalive);
    const dead = await takeDeadCalls(this.options.db, this.options.silenceMs ?? 60_000);
    const changed: LiveEvent[] = [];
    for (const row of dead)
      changed.push(...(await this.#ended(row, 480, 'The SIP edge carrying this call stopped')));
    if (dead.length > 0)
      this.options.log.warn(
        `Kamailio: ended ${dead.length} call(s) of an instance that restarted or went silent.`,
      );
    await this.#publishFresh(changed);
  }

  /** A monitor session's mode changed (the policy allowed it): the monitored call's record says so. */
  async monitorModeChanged(callId: string, mode: MonitorMode): Promise<void> {
    const row = await this.byCallId(callId);
    const session = row && (await this.#sessionOf(row));
    if (!session) return;
    const recordId = await kamailioMonitoring.changed(this.options.db, session, mode);
    if (recordId !== null) await this.#publishFresh([{ entity: 'call', id: recordId }, auditEvent]);
  }

  /** Reads again when there is something to tell, then tells it. */
  async #publishFresh(changed: LiveEvent[]): Promise<void> {
    if (changed.length === 0) return;
    await this.refresh();
    this.#publishing = true;
    try {
      this.options.events.publish(...changed);
    } finally {
      this.#publishing = false;
    }
  }

  /** The operator and agent of a monitor session's row (null for a call). */
  async #sessionOf(row: KamailioCallRow): Promise<KamailioMonitorSession | null> {
    if (!row.monitorsCallId || row.callerUserId === null || row.calleeUserId === null) return null;
    const operator = await this.options.accounts.byId(row.callerUserId);
    const agent = await this.options.accounts.byId(row.calleeUserId);
    if (!operator || !agent) return null;
    return {
      callId: row.callId,
      monitorsCallId: row.monitorsCallId,
      operator: { id: operator.userId, username: operator.username },
      agent: { username: agent.username },
    };
  }

  /**
   * Records a call Kamailio will not route (the policy refused it): a finished record, written
   * once per Call-ID however often the INVITE is asked about.
   */
  async refused(
    caller: SipAccount,
    callee: SipAccount | null,
    request: { callId: string; fromUri: string; requestUri: string },
    reason: string,
    disposition: Disposition,
  ): Promise<void> {
    const now = new Date();
    const [row] = await this.options.db
      .insert(callRecords)
      .values({
        ...this.#recordOf(caller, callee, request),
        startedAt: now,
        endedAt: now,
        disposition,
        reason,
      })
      .onConflictDoNothing()
      .returning({ id: callRecords.id });
    if (row) this.options.events.publish({ entity: 'call', id: row.id });
  }

  /**
   * Re-reads the calls and registrations; resolves once a read that began after this call ends.
   * Callers meanwhile share reads: a read already under way may have begun before their change,
   * so another follows it.
   */
  async refresh(): Promise<void> {
    const wanted = ++this.#heard;
    while (this.#held < wanted) {
      this.#refreshing ??= this.#readHeld().finally(() => {
        this.#refreshing = null;
      });
      if (!(await this.#refreshing)) return;
    }
  }

  /** One read; answers false when it failed (logged), so waiting callers stop. */
  async #readHeld(): Promise<boolean> {
    const heard = this.#heard;
    try {
      await this.#read();
      this.#held = Math.max(this.#held, heard);
      return true;
    } catch (error) {
      this.options.log.error('Kamailio: could not read live calls', error);
      return false;
    }
  }

  #recordOf(
    caller: SipAccount,
    callee: SipAccount | null,
    request: { callId: string; fromUri: string; requestUri: string },
  ) {
    const target = sipUserOf(request.requestUri) ?? '';
    const host = /@([^;>?]+)/.exec(request.requestUri)?.[1] ?? '';
    return {
      callId: request.callId,
      fromUri: request.fromUri,
      fromName: caller.displayName,
      fromUserId: caller.userId,
      toUri: `sip:${callee?.extension ?? target}@${host}`,
      toName: callee?.displayName ?? null,
      toUserId: callee?.userId ?? null,
      callerProfileId: caller.profile?.id ?? null,
      callerProfile: caller.profile?.name ?? null,
      calleeProfileId: callee?.profile?.id ?? null,
      calleeProfile: callee?.profile?.name ?? null,
    };
  }

  async #start(event: KamailioDialogEvent): Promise<LiveEvent[]> {
    const { accounts, db } = this.options;
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
        .values(this.#recordOf(caller, callee, event))
        .onConflictDoNothing()
        .returning({ id: callRecords.id });
      if (!record) return { recordId: null };
      await tx
        .update(kamailioCalls)
        .set({ recordId: record.id })
        .where(eq(kamailioCalls.callId, event.callId));
      return { recordId: record.id };
    });
    // The `call` event lets the panels see it ring (a monitor session: by its Call-ID).
    return started ? [{ entity: 'call', id: started.recordId ?? event.callId }] : [];
  }

  async #answer(event: KamailioDialogEvent): Promise<LiveEvent[]> {
    const { db } = this.options;
    const now = new Date();
    const [row] = await db
      .update(kamailioCalls)
      .set({ answeredAt: now })
      .where(and(eq(kamailioCalls.callId, event.callId), isNull(kamailioCalls.answeredAt)))
      .returning();
    if (!row) return [];
    const session = await this.#sessionOf(row);
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

  async #end(event: KamailioDialogEvent): Promise<LiveEvent[]> {
    const [row] = await this.options.db
      .delete(kamailioCalls)
      .where(eq(kamailioCalls.callId, event.callId))
      .returning();
    if (!row) return [];
    return this.#ended(row, event.status ?? 480, event.reason ?? null);
  }

  /** Ends the record of a call (or the monitoring entry of a session) whose row was taken out. */
  async #ended(row: KamailioCallRow, status: number, reason: string | null): Promise<LiveEvent[]> {
    const { db } = this.options;
    const session = await this.#sessionOf(row);
    if (session) {
      const recordId = await kamailioMonitoring.ended(db, session, row.answeredAt ? null : reason);
      return [{ entity: 'call', id: recordId }, auditEvent];
    }
    if (row.recordId === null) return [];
    const disposition: Disposition = row.answeredAt ? 'answered' : dispositionForStatus(status);
    await db
      .update(callRecords)
      .set({ endedAt: new Date(), disposition, reason: row.answeredAt ? null : reason })
      .where(and(eq(callRecords.id, row.recordId), isNull(callRecords.endedAt)));
    return [{ entity: 'call', id: row.recordId }];
  }

  async #read(): Promise<void> {
    const { db, accounts } = this.options;
    const rows = await db.select().from(kamailioCalls);
    const registrations = await readKamailioRegistrations(db, accounts);
    const next: Snapshot = { ...emptySnapshot(), registrations };
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
    this.#snapshot = next;
    this.#readAt = Date.now();
    this.#expiry.watch(registrations);
  }
}
