import { MISSED_QUEUE_CALL_REASON, type AgentState, type AgentStateName } from '../../contracts/agent-states';
import type { LiveEvent } from '../../contracts/events';
import { allow, refuse, type Decision } from '../../contracts/policy/decision';
import type { SipControl } from '../sip/sip-control';
import type { AgentBoard } from './agent-board';

/** Not ready's reason when a phone signs in, unless the reason code `signed_in` gives another label. */
export const SIGNED_IN_REASON = 'Just signed in';
/** The reason code whose label, when it exists, replaces SIGNED_IN_REASON. */
export const SIGNED_IN_REASON_CODE = 'signed_in';

/** What happened to a queue call on the agent's side, for its row (see `queueCallMoved`). */
export type QueueCallMove = {
  kind: 'offered' | 'ended' | 'wrap_up_ended';
  userId: number;
  callId: string;
  at: Date;
};

/** One change as it is kept for history and reports. */
export type AgentStateChangeNote = {
  userId: number;
  from: AgentStateName;
  to: AgentStateName;
  reason: string | null;
  at: Date;
};

export type AgentStatesOptions = {
  /** The edge's registrations (read when asked: the edge is built after this service). */
  phones: () => Pick<SipControl, 'phonesOf' | 'listSeats'>;
  publish: (event: LiveEvent) => void;
  /** Keeps a change (the store writes it, in order). */
  keep: (change: AgentStateChangeNote) => void;
  /**
   * A queue call moved for this agent: rung (`offered`), hung up after the answer (`ended`),
   * wrap-up over (`wrap_up_ended`: its handle time stops here). The store notes each on the call.
   */
  queueCallMoved?: (move: QueueCallMove) => void;
  /** How long registration events are gathered before the seats are read again. */
  reconcileMs?: number;
};

type Entry = {
  state: AgentStateName;
  reason: string | null;
  since: Date;
  /** Available with no call since then (longest idle). */
  idleSince: Date | null;
  callId: string | null;
  wrapUpSeconds: number;
  wrapUpEndsAt: Date | null;
  timer: ReturnType<typeof setTimeout> | null;
};

/** States the agent leaves by themself; the others follow the queue calls. */
const agentChosen = new Set<AgentStateName>(['available', 'not_ready', 'wrap_up']);

/**
 * Every agent's state in memory, implementing the AgentBoard the queue engine moves. A user
 * without a registered phone is Offline; when a phone registers the agent becomes Not ready
 * ("Just signed in") and must choose Available, as Twilio Flex does: nobody gets a queue call
 * the moment a tab opens. A phone that goes away makes the agent Offline, except on a ringing
 * or answered queue call, which the engine ends. Each change is kept and published as an
 * `agent` event; Wrap-up ends by itself after the queue's seconds.
 */
export class AgentStates implements AgentBoard {
  readonly #options: AgentStatesOptions;
  readonly #entries = new Map<number, Entry>();
  readonly #listeners = new Set<(userId: number) => void>();
  readonly #answered = new Map<number, { day: string; count: number }>();
  /** Which user each registration belongs to, as last seen (registration events carry only the id). */
  readonly #seatOwners = new Map<string, number>();
  #signedInReason = SIGNED_IN_REASON;
  #reconcile: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(options: AgentStatesOptions) {
    this.#options = options;
  }

  // ----- reading -----

  stateOf(userId: number): AgentState {
    const entry = this.#sync(userId);
    return {
      userId,
      state: entry.state,
      reason: entry.reason,
      since: entry.since.toISOString(),
      wrapUpEndsAt: entry.state === 'wrap_up' ? (entry.wrapUpEndsAt?.toISOString() ?? null) : null,
      wrapUpCallId: entry.state === 'wrap_up' ? entry.callId : null,
    };
  }

  stateNameOf(userId: number): AgentStateName {
    return this.#sync(userId).state;
  }

  idleSince(userId: number): Date | null {
    const entry = this.#sync(userId);
    return entry.state === 'available' ? entry.idleSince : null;
  }

  answeredToday(userId: number): number {
    const kept = this.#answered.get(userId);
    return kept && kept.day === dayKey(new Date()) ? kept.count : 0;
  }

  /** Users whose state is known (everyone who has had a phone registered since the start). */
  knownUsers(): number[] {
    return [...this.#entries.keys()];
  }

  // ----- set up -----

  /** Today's answered counts from the store (after a restart). */
  loadAnsweredToday(counts: Map<number, number>): void {
    const day = dayKey(new Date());
    for (const [userId, count] of counts) this.#answered.set(userId, { day, count });
  }

  /** The reason codes now: `signed_in`'s label, when it exists, names the sign-in reason. */
  reasonCodesChanged(codes: { code: string; label: string }[]): void {
    this.#signedInReason = codes.find((c) => c.code === SIGNED_IN_REASON_CODE)?.label ?? SIGNED_IN_REASON;
  }

  /**
   * A registration was added or removed (the `registration` event's id). A known one settles
   * its user at once; a new one has the seats read again shortly (many at once are read once).
   */
  registrationChanged(bindingId: string): void {
    const owner = this.#seatOwners.get(bindingId);
    if (owner !== undefined) {
      if (!this.#options.phones().phonesOf(owner).registered) this.#seatOwners.delete(bindingId);
      this.#sync(owner);
      return;
    }
    if (this.#reconcile || this.#closed) return;
    this.#reconcile = setTimeout(() => {
      this.#reconcile = null;
      this.reconcile();
    }, this.#options.reconcileMs ?? 100);
    this.#reconcile.unref?.();
  }

  /** Reads every registration and settles every agent against it. */
  reconcile(): void {
    const seats = this.#options.phones().listSeats();
    const users = new Set<number>();
    this.#seatOwners.clear();
    for (const seat of seats) {
      this.#seatOwners.set(seat.id, seat.userId);
      users.add(seat.userId);
    }
    for (const userId of new Set([...users, ...this.#entries.keys()])) this.#sync(userId);
  }

  close(): void {
    this.#closed = true;
    if (this.#reconcile) clearTimeout(this.#reconcile);
    for (const entry of this.#entries.values()) if (entry.timer) clearTimeout(entry.timer);
    this.#listeners.clear();
  }

  // ----- the agent's clicks -----

  /** Available: from Not ready, or ending Wrap-up early. */
  setAvailable(userId: number): Decision {
    const entry = this.#sync(userId);
    const busy = this.#refuseBusy(entry);
    if (busy) return busy;
    if (entry.state === 'available') return allow;
    this.#endWrapUp(userId, entry);
    this.#move(userId, entry, 'available', null);
    return allow;
  }

  /** Not ready with a reason's label; from Available or Wrap-up (which it ends). */
  setNotReady(userId: number, reason: string): Decision {
    const entry = this.#sync(userId);
    const busy = this.#refuseBusy(entry);
    if (busy) return busy;
    if (entry.state === 'not_ready' && entry.reason === reason) return allow;
    this.#endWrapUp(userId, entry);
    this.#move(userId, entry, 'not_ready', reason);
    return allow;
  }

  endWrapUp(userId: number): Decision {
    const entry = this.#sync(userId);
    if (entry.state !== 'wrap_up') return refuse('You are not in wrap-up.');
    this.#endWrapUp(userId, entry);
    this.#move(userId, entry, 'available', null);
    return allow;
  }

  /** Adds the queue's wrap-up time again to when it ends. */
  extendWrapUp(userId: number): Decision {
    const entry = this.#sync(userId);
    if (entry.state !== 'wrap_up' || !entry.wrapUpEndsAt)
      return refuse('You are not in wrap-up, so there is nothing to extend.');
    this.#startWrapUpTimer(userId, entry, entry.wrapUpEndsAt.getTime() + entry.wrapUpSeconds * 1000);
    this.#options.publish({ entity: 'agent', id: userId });
    return allow;
  }

  // ----- the queue engine (AgentBoard) -----

  offered(userId: number, callId: string): void {
    const entry = this.#sync(userId);
    this.#entries.set(userId, entry);
    entry.callId = callId;
    this.#move(userId, entry, 'ringing', null);
    this.#options.queueCallMoved?.({ kind: 'offered', userId, callId, at: entry.since });
  }

  answered(userId: number, callId: string, _queueId: number): void {
    const entry = this.#sync(userId);
    this.#entries.set(userId, entry);
    entry.callId = callId;
    const day = dayKey(new Date());
    const kept = this.#answered.get(userId);
    this.#answered.set(userId, { day, count: kept?.day === day ? kept.count + 1 : 1 });
    this.#move(userId, entry, 'on_call', null);
  }

  missed(userId: number, callId: string): void {
    const entry = this.#entries.get(userId);
    if (!entry || entry.state !== 'ringing' || entry.callId !== callId) return;
    entry.callId = null;
    this.#move(userId, entry, this.#registered(userId) ? 'not_ready' : 'offline', MISSED_QUEUE_CALL_REASON);
  }

  withdrawn(userId: number, callId: string): void {
    const entry = this.#entries.get(userId);
    if (!entry || entry.state !== 'ringing' || entry.callId !== callId) return;
    entry.callId = null;
    this.#free(userId, entry);
  }

  ended(userId: number, callId: string, wrapUpSeconds: number): void {
    const entry = this.#entries.get(userId);
    if (!entry || entry.callId !== callId || (entry.state !== 'on_call' && entry.state !== 'ringing')) return;
    const at = new Date();
    if (entry.state === 'on_call') this.#options.queueCallMoved?.({ kind: 'ended', userId, callId, at });
    if (entry.state === 'ringing' || wrapUpSeconds <= 0 || !this.#registered(userId)) {
      if (entry.state === 'on_call')
        this.#options.queueCallMoved?.({ kind: 'wrap_up_ended', userId, callId, at });
      entry.callId = null;
      this.#free(userId, entry);
      return;
    }
    entry.wrapUpSeconds = wrapUpSeconds;
    // One clock reading for the state's start and its end: read twice, a millisecond could pass
    // between them and the wrap-up would be told as 29.999 s long.
    const startsAt = new Date();
    this.#startWrapUpTimer(userId, entry, startsAt.getTime() + wrapUpSeconds * 1000);
    this.#move(userId, entry, 'wrap_up', null, startsAt);
  }

  onAvailable(listener: (userId: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ----- inside -----

  #registered(userId: number): boolean {
    return this.#options.phones().phonesOf(userId).registered;
  }

  /** The entry, settled against the user's phones: Offline without one, signed in with one. */
  #sync(userId: number): Entry {
    let entry = this.#entries.get(userId);
    const registered = this.#registered(userId);
    if (!entry) {
      entry = {
        state: 'offline',
        reason: null,
        since: new Date(),
        idleSince: null,
        callId: null,
        wrapUpSeconds: 0,
        wrapUpEndsAt: null,
        timer: null,
      };
      if (!registered) return entry;
      this.#entries.set(userId, entry);
    }
    if (registered && entry.state === 'offline') this.#move(userId, entry, 'not_ready', this.#signedInReason);
    else if (!registered && agentChosen.has(entry.state)) {
      this.#endWrapUp(userId, entry);
      this.#move(userId, entry, 'offline', null);
    }
    return entry;
  }

  #refuseBusy(entry: Entry): Decision | null {
    if (entry.state === 'on_call') return refuse('You are on a call.');
    if (entry.state === 'ringing')
      return refuse('A queue call is ringing your phone: answer or decline it first.');
    if (entry.state === 'offline')
      return refuse('Your phone is not signed in: open the phone and let it connect first.');
    return null;
  }

  /** After a queue call: Available, or Offline when the phone has gone meanwhile. */
  #free(userId: number, entry: Entry): void {
    this.#move(userId, entry, this.#registered(userId) ? 'available' : 'offline', null);
  }

  #startWrapUpTimer(userId: number, entry: Entry, endsAt: number): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.wrapUpEndsAt = new Date(endsAt);
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        if (entry.state !== 'wrap_up') return;
        this.#endWrapUp(userId, entry);
        this.#free(userId, entry);
      },
      Math.max(0, endsAt - Date.now()),
    );
    entry.timer.unref?.();
  }

  /** Leaving Wrap-up however it happens: the timer stops and the call's handle time ends. */
  #endWrapUp(userId: number, entry: Entry): void {
    if (entry.state !== 'wrap_up') return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.wrapUpEndsAt = null;
    if (entry.callId)
      this.#options.queueCallMoved?.({ kind: 'wrap_up_ended', userId, callId: entry.callId, at: new Date() });
    entry.callId = null;
  }

  #move(userId: number, entry: Entry, to: AgentStateName, reason: string | null, at = new Date()): void {
    const from = entry.state;
    entry.state = to;
    entry.reason = to === 'not_ready' ? reason : null;
    entry.since = at;
    entry.idleSince = to === 'available' ? at : null;
    if (to !== 'wrap_up' && to !== 'on_call' && to !== 'ringing') {
      entry.callId = null;
    }
    this.#options.keep({ userId, from, to, reason: entry.reason, at });
    this.#options.publish({ entity: 'agent', id: userId });
    if (to !== 'available') return;
    for (const listener of this.#listeners) {
      try {
        listener(userId);
      } catch {
        // One broken listener must not keep the others (or the agent's click) from going on.
      }
    }
  }
}

/** The local calendar day (the server's time zone), as "today" is counted. */
function dayKey(at: Date): string {
  return `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()}`;
}
