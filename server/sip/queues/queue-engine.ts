import type { QueueOverflow } from '../../../contracts/queues';
import type { AgentBoard } from '../../contact-center/agent-board';
import type { QueueCallLog, QueueConfig, QueueLive, QueueSource } from '../../contact-center/queue-ports';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { CallDialog } from '../dialogs/call-dialog';
import type { EdgeContext } from '../edge-context';
import type { Binding } from '../registrar/location-service';
import { isRanking, pickAgents, type Candidate } from './agent-picker';
import { FreeAgents } from './free-agents';
import { before, QueueCall } from './queue-call';
import type { Offer, QueueCaller } from './queue-caller';

/** What the queue engine reads and tells: queues, agent states, and each call's story. */
export interface QueuePorts {
  source: QueueSource;
  board: AgentBoard;
  log: QueueCallLog;
}

/** Said to a caller when an overflow leads nowhere (a queue gone, or one already visited). */
const NOBODY = 'Nobody can take your call now';
/** An agent in one of these is taken, not absent: a refusal then says busy (486). */
const BUSY_STATES = new Set(['ringing', 'on_call', 'wrap_up']);

/**
 * The queue engine: callers wait in their queue in arrival order while the engine offers each
 * call to one Available agent at a time (all of them at once for ring all), chosen by priority
 * and then the queue's strategy. Only agents whose profile allows calls, who have a registered
 * phone, no call and no other offer, and a channel left (the call-admission rule) are offered.
 * An offer that rings out or is declined makes the agent Not ready and goes to the next; an
 * answer hands the caller to the agent; the maximum wait overflows the call as the queue says.
 */
export class QueueEngine implements QueueLive {
  readonly #context: EdgeContext;
  readonly #ports: QueuePorts;
  readonly #waiting = new Map<number, QueueCall[]>();
  readonly #byDialog = new Map<CallDialog, QueueCall>();
  /** Agents with an offer ringing, and for which call. */
  readonly #offering = new Map<number, QueueCall>();
  /**
   * Agents' accounts (profile, flags) as the directory gave them, so that a pass needs no
   * lookup once each agent was seen; emptied when users or profiles change.
   */
  readonly #accounts = new Map<number, SipAccount>();
  /** Round robin: the user last offered a call of each queue. */
  readonly #lastOffered = new Map<number, number>();
  readonly #unsubscribe: (() => void)[] = [];
  /** Calls that entered since the last greeting: their 180 waits for the pass's offers. */
  #arrived: QueueCall[] = [];
  #seq = 0;
  #dispatching = false;
  #again = false;
  #closed = false;

  constructor(context: EdgeContext, ports: QueuePorts) {
    this.#context = context;
    this.#ports = ports;
    this.#unsubscribe.push(
      ports.board.onAvailable(() => this.dispatch()),
      context.dialogs.onChange((dialog) => {
        if (!dialog.active) this.#dialogEnded(dialog);
      }),
      context.events.subscribe((event) => {
        if (event.entity === 'user' || event.entity === 'profile') this.#accounts.clear();
      }),
    );
  }

  /** The queue a number or extension reaches (for the proxy and the trunk bridge). */
  queueByExtension(extension: string): QueueConfig | null {
    return this.#ports.source.byExtension(extension);
  }

  /** A queue by id (the trunk bridge: a number assigned to a queue); null when it is gone. */
  queueById(id: number): QueueConfig | null {
    return this.#ports.source.byId(id);
  }

  /**
   * A caller enters a queue: they hear ringing (in the same turn, just after the pass that
   * offers their call: see `#greet`), wait in arrival order, and are offered to agents until
   * one answers, they hang up (their holder ends the dialog) or the maximum wait passes. The
   * trunk bridge calls this for a number assigned to a queue.
   */
  enqueue(queue: QueueConfig, caller: QueueCaller): void {
    const call = new QueueCall(caller, queue.id, Date.now(), this.#seq++);
    if (this.#closed) {
      call.state = 'done';
      caller.refuse(503, 'The server is stopping');
      return;
    }
    this.#byDialog.set(caller.dialog, call);
    this.#ports.log.queued(call.callId, queue.id);
    this.#arrived.push(call);
    this.#join(call, queue);
    // Queued after the pass `#join` asked for: it runs once that pass has made its offers.
    if (this.#arrived.length === 1) setImmediate(() => this.#greet());
  }

  /**
   * The 180 of the calls that arrived since the last greeting. A burst of callers is read in
   * one turn of the event loop and offered in one pass after it; sent as each call arrived,
   * every caller's 180 (a WebSocket write each) came before the first offer, and with 100
   * callers at once that was a third of the offers' wait (`npm run bench:queue`). So the offers
   * go out first and the 180s right after, in the same turn. An answer, an overflow or the
   * server stopping greets first, so a caller never hears ringing after their call was
   * answered, forwarded or refused.
   */
  #greet(): void {
    if (this.#arrived.length === 0) return;
    const arrived = this.#arrived;
    this.#arrived = [];
    for (const call of arrived) {
      if (call.state === 'waiting') call.caller.ringing();
    }
  }

  /** Callers waiting in a queue now, and how long the first of them has waited (the wallboard). */
  waiting(queueId: number): { count: number; longestWaitSeconds: number } {
    const list = this.#waiting.get(queueId) ?? [];
    const first = list[0];
    return {
      count: list.length,
      longestWaitSeconds: first ? Math.floor(first.waitMs() / 1000) : 0,
    };
  }

  /**
   * Offers waiting calls to free agents: one pass at a time, again when asked meanwhile. The
   * pass runs once the event loop has read what arrived with the call (setImmediate): callers
   * arriving together, on many connections, share one pass over the agents.
   */
  dispatch(): void {
    if (this.#closed) return;
    if (this.#dispatching) {
      this.#again = true;
      return;
    }
    this.#dispatching = true;
    setImmediate(() => void this.#dispatchNow());
  }

  async #dispatchNow(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#pass();
      } while (this.#again && !this.#closed);
    } catch (error) {
      this.#context.log.error('Queue engine: could not offer waiting calls', error);
    } finally {
      this.#dispatching = false;
    }
  }

  /** The server stops: waiting callers are refused, ringing offers withdrawn. */
  close(): void {
    this.#greet();
    this.#closed = true;
    for (const stop of this.#unsubscribe.splice(0)) stop();
    for (const list of this.#waiting.values())
      for (const call of [...list]) {
        this.#leave(call);
        call.state = 'done';
        call.caller.refuse(503, 'The server is stopping');
      }
  }

  #join(call: QueueCall, queue: QueueConfig): void {
    const list = this.#waiting.get(queue.id) ?? [];
    let index = list.length;
    while (index > 0 && before(call, list[index - 1] as QueueCall) < 0) index--;
    list.splice(index, 0, call);
    this.#waiting.set(queue.id, list);
    call.maxWait = setTimeout(() => this.#overflow(call), queue.maxWaitSeconds * 1000);
    this.dispatch();
  }

  /** Out of its queue's line: timer stopped, offers withdrawn. */
  #leave(call: QueueCall): void {
    if (call.maxWait) clearTimeout(call.maxWait);
    call.maxWait = null;
    const list = this.#waiting.get(call.queueId);
    const index = list?.indexOf(call) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    if (list?.length === 0) this.#waiting.delete(call.queueId);
    for (const userId of [...call.offers.keys()]) this.#withdraw(call, userId);
  }

  #withdraw(call: QueueCall, userId: number): void {
    const offer = call.offers.get(userId);
    if (!offer) return;
    call.offers.delete(userId);
    if (this.#offering.get(userId) === call) this.#offering.delete(userId);
    offer.withdraw();
    this.#ports.board.withdrawn(userId, call.callId);
  }

  /**
   * One pass: every waiting call without an offer, oldest first across queues, gets the agent
   * its queue picks among those free now. Each queue's free agents are gathered (and, for
   * longest idle and fewest calls, ranked) once per pass, so a burst of callers costs one look
   * at the agents, not one per caller. The only wait is the accounts' lookup; everything after
   * it runs in one turn, so nothing changes under it but the offers this pass makes.
   */
  async #pass(): Promise<void> {
    const pending: QueueCall[] = [];
    for (const list of this.#waiting.values())
      for (const call of list) if (call.offers.size === 0) pending.push(call);
    if (pending.length === 0) return;
    pending.sort(before);

    const { board, source } = this.#ports;
    const busy = this.#usersOnCalls();
    const free = (userId: number) =>
      !this.#offering.has(userId) && !busy.has(userId) && board.stateNameOf(userId) === 'available';
    // Agents not seen before are looked up (the only wait); a pass over known ones runs in one turn.
    const unknown = new Map<number, Binding[]>();
    for (const queueId of new Set(pending.map((call) => call.queueId)))
      for (const { userId } of source.byId(queueId)?.agents ?? []) {
        if (this.#accounts.has(userId) || unknown.has(userId) || !free(userId)) continue;
        const bindings = this.#context.location.ofUser(userId);
        if (bindings.length > 0) unknown.set(userId, bindings);
      }
    if (unknown.size > 0) await this.#lookUp([...unknown]);

    const agents = new FreeAgents({
      board,
      accounts: this.#accounts,
      channelsInUse: (profileId) => this.#context.dialogs.channelsInUse(profileId),
      free,
      offering: (userId) => this.#offering.has(userId),
    });
    for (const call of pending) {
      if (this.#closed) return;
      if (call.state !== 'waiting' || call.offers.size > 0) continue;
      const queue = source.byId(call.queueId);
      if (!queue) {
        this.#leave(call);
        call.state = 'done';
        call.caller.refuse(480, NOBODY);
        continue;
      }
      const callerLoad = call.caller.callerLoad((profileId) => agents.channelsInUse(profileId));
      const takes = (candidate: Candidate) => agents.takes(candidate, call.caller.userId, callerLoad);
      if (isRanking(queue.strategy)) {
        // The first in rank who takes it and still has a phone (phones are checked for the pick only).
        for (const candidate of agents.of(queue)) {
          if (!takes(candidate)) continue;
          const bindings = this.#context.location.ofUser(candidate.userId);
          const account = this.#accounts.get(candidate.userId);
          if (bindings.length === 0 || !account) continue;
          this.#offer(call, queue, account, bindings);
          break;
        }
        continue;
      }
      let candidates = agents.of(queue).filter(takes);
      const last = this.#lastOffered.get(queue.id);
      const lastOrder = last === undefined ? null : queue.agents.findIndex((a) => a.userId === last);
      // The pick comes first and its phones are checked after: an agent whose phones went away
      // since is passed over and the pick made again.
      while (candidates.length > 0) {
        const chosen = pickAgents(queue.strategy, candidates, lastOrder === -1 ? null : lastOrder);
        const gone = new Set<number>();
        for (const { userId } of chosen) {
          const bindings = this.#context.location.ofUser(userId);
          const account = this.#accounts.get(userId);
          if (bindings.length === 0 || !account) gone.add(userId);
          else this.#offer(call, queue, account, bindings);
        }
        if (gone.size === 0 || call.offers.size > 0) break;
        candidates = candidates.filter((c) => !gone.has(c.userId));
      }
    }
  }

  /** Users on a live call (either side, ringing or answered): not offered a queue call. */
  #usersOnCalls(): Set<number> {
    const busy = new Set<number>();
    for (const dialog of this.#context.dialogs.all())
      for (const side of dialog.sides()) if (side.userId !== null) busy.add(side.userId);
    return busy;
  }

  async #lookUp(agents: [number, Binding[]][]): Promise<void> {
    await Promise.all(
      agents.map(async ([userId, bindings]) => {
        const account = await this.#context.accounts.byUsername(bindings[0]?.username ?? '');
        if (account?.userId === userId) this.#accounts.set(userId, account);
      }),
    );
  }

  #offer(call: QueueCall, queue: QueueConfig, account: SipAccount, bindings: Binding[]): void {
    const { userId } = account;
    this.#offering.set(userId, call);
    this.#lastOffered.set(queue.id, userId);
    this.#ports.board.offered(userId, call.callId);
    // Set before the offer goes out: a phone that fails at once reports while it is sent.
    const placeholder: Offer = { withdraw: () => undefined };
    call.offers.set(userId, placeholder);
    const offer = call.caller.offer({ userId, account, bindings }, queue.ringSeconds * 1000, {
      claim: () => this.#claim(call, userId),
      unanswered: () => this.#unanswered(call, userId),
    });
    if (call.offers.get(userId) === placeholder) call.offers.set(userId, offer);
  }

  #claim(call: QueueCall, userId: number): boolean {
    this.#greet();
    if (call.state !== 'waiting' || !call.offers.has(userId)) return false;
    const { board, log, source } = this.#ports;
    call.offers.delete(userId);
    this.#offering.delete(userId);
    this.#leave(call);
    call.state = 'answered';
    call.agentId = userId;
    call.wrapUpSeconds = source.byId(call.queueId)?.wrapUpSeconds ?? 0;
    board.answered(userId, call.callId, call.queueId);
    log.answered(call.callId, call.queueId, userId, call.waitMs());
    // Agents whose ring-all offer was withdrawn may take the next caller.
    this.dispatch();
    return true;
  }

  #unanswered(call: QueueCall, userId: number): void {
    if (!call.offers.has(userId)) return;
    call.offers.delete(userId);
    if (this.#offering.get(userId) === call) this.#offering.delete(userId);
    this.#ports.board.missed(userId, call.callId);
    this.dispatch();
  }

  /** The maximum wait passed: another queue (the wait goes on), a user, or a refusal. */
  #overflow(call: QueueCall): void {
    this.#greet();
    call.maxWait = null;
    if (call.state !== 'waiting') return;
    const { source, log } = this.#ports;
    const queue = source.byId(call.queueId);
    const overflow: QueueOverflow = queue?.overflow ?? { kind: 'refuse', reason: NOBODY };
    const wait = call.waitMs();
    this.#leave(call);
    const from = call.queueId;
    if (overflow.kind === 'queue') {
      const next = source.byId(overflow.queueId);
      if (next && !call.visited.has(next.id)) {
        log.overflowed(call.callId, from, wait, overflow);
        call.queueId = next.id;
        call.visited.add(next.id);
        log.queued(call.callId, next.id);
        this.#join(call, next);
        return;
      }
      log.overflowed(call.callId, from, wait, { kind: 'refuse', reason: NOBODY });
      call.state = 'done';
      call.caller.refuse(480, NOBODY);
      this.dispatch();
      return;
    }
    log.overflowed(call.callId, from, wait, overflow);
    call.state = 'done';
    if (overflow.kind === 'user') call.caller.forwardTo(overflow.userId);
    else call.caller.refuse(this.#allBusy(queue) ? 486 : 480, overflow.reason);
    this.dispatch();
  }

  /** Whether the queue's agents are taken by calls rather than away (486 rather than 480). */
  #allBusy(queue: QueueConfig | null): boolean {
    const { board } = this.#ports;
    return (queue?.agents ?? []).some((a) => BUSY_STATES.has(board.stateNameOf(a.userId)));
  }

  #dialogEnded(dialog: CallDialog): void {
    const call = this.#byDialog.get(dialog);
    if (!call) return;
    this.#byDialog.delete(dialog);
    if (call.state === 'waiting') {
      // The caller hung up (or their holder gave up on them) while waiting.
      const wait = call.waitMs();
      this.#leave(call);
      call.state = 'done';
      this.#ports.log.abandoned(call.callId, call.queueId, wait);
      this.dispatch();
    } else if (call.state === 'answered' && call.agentId !== null) {
      call.state = 'done';
      this.#ports.board.ended(call.agentId, call.callId, call.wrapUpSeconds);
    }
  }
}
