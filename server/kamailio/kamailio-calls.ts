import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Disposition, MonitorMode } from '../../contracts/calls';
import type { Seat } from '../../contracts/sip';
import type {
  KamailioDialogEvent,
  KamailioKeepalive,
  KamailioRegistrationEvent,
} from '../../contracts/kamailio';
import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { LiveDialog, PhoneRegistration } from '../sip/sip-control';
import type { SipAccount } from '../store/sip-accounts-repository';
import type { Db } from '../store/database';
import { callRecords, kamailioCalls } from '../store/schema';
import type { KamailioAccounts } from './kamailio-accounts';
import {
  answerDialog,
  auditEvent,
  endDialog,
  recordOf,
  sessionOf,
  startDialog,
  takeOutDialog,
  type KamailioRequest,
} from './kamailio-dialogs';
import { deadCalls, heardFrom } from './kamailio-instances';
import { KAMAILIO_SEAT_PREFIX } from './kamailio-location';
import { kamailioMonitoring } from './kamailio-monitoring';
import { emptySnapshot, readKamailioSnapshot, type KamailioSnapshot } from './kamailio-snapshot';
import { RegistrationExpiry } from './registration-expiry';

export type { KamailioAccounts } from './kamailio-accounts';
export { MIX_CFLAG } from './kamailio-location';

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
  #snapshot: KamailioSnapshot = emptySnapshot();
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
  #current(): KamailioSnapshot {
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
        ? await startDialog(this.options, event)
        : event.event === 'answer'
          ? await answerDialog(this.options, event)
          : await endDialog(this.options, event);
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
    const dead = await deadCalls(this.options.db, this.options.silenceMs ?? 60_000);
    const changed: LiveEvent[] = [];
    let ended = 0;
    for (const callId of dead) {
      const events = await takeOutDialog(
        this.options,
        callId,
        480,
        'The SIP edge carrying this call stopped',
      );
      if (events.length > 0) ended += 1;
      changed.push(...events);
    }
    if (ended > 0)
      this.options.log.warn(`Kamailio: ended ${ended} call(s) of an instance that restarted or went silent.`);
    await this.#publishFresh(changed);
  }

  /** A monitor session's mode changed (the policy allowed it): the monitored call's record says so. */
  async monitorModeChanged(callId: string, mode: MonitorMode): Promise<void> {
    const row = await this.byCallId(callId);
    const session = row && (await sessionOf(this.options.accounts, row));
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

  /**
   * Records a call Kamailio will not route (the policy refused it): a finished record, written
   * once per Call-ID however often the INVITE is asked about.
   */
  async refused(
    caller: SipAccount,
    callee: SipAccount | null,
    request: KamailioRequest,
    reason: string,
    disposition: Disposition,
  ): Promise<void> {
    const now = new Date();
    const [row] = await this.options.db
      .insert(callRecords)
      .values({
        ...recordOf(caller, callee, request),
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

  async #read(): Promise<void> {
    this.#snapshot = await readKamailioSnapshot(this.options.db, this.options.accounts);
    this.#readAt = Date.now();
    this.#expiry.watch(this.#snapshot.registrations);
  }
}
