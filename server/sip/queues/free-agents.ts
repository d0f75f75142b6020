import { canPlaceCall, type ProfileLoad } from '../../../contracts/policy/call-admission';
import type { AgentBoard } from '../../contact-center/agent-board';
import type { QueueConfig } from '../../contact-center/queue-ports';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { isRanking, rankAgents, type Candidate } from './agent-picker';

/** What one pass over the free agents reads; nothing here waits. */
export interface FreeAgentsSource {
  board: AgentBoard;
  /** Agents' accounts as the engine last looked them up (an agent not in it is not offered). */
  accounts: ReadonlyMap<number, SipAccount>;
  /** Channels a profile's live calls use now. */
  channelsInUse(profileId: number): number;
  /** Free now: no offer ringing, no call, and Available. */
  free(userId: number): boolean;
  /** Whether an offer made earlier in this pass has taken the agent. */
  offering(userId: number): boolean;
}

/**
 * The agents one pass of the queue engine may offer calls to. Each queue's free agents whose
 * profile allows calls are gathered, with their profile's load (and, for longest idle and
 * fewest calls, ranked) the first time a waiting call of that queue asks, and then reused for
 * every other caller of the pass: a burst of callers costs one look at the agents, not one
 * per caller. Built for one pass and dropped after it (the loads are as they were at its start).
 */
export class FreeAgents {
  readonly #source: FreeAgentsSource;
  readonly #channels = new Map<number, number>();
  readonly #loads = new Map<number, ProfileLoad>();
  readonly #byQueue = new Map<number, Candidate[]>();

  constructor(source: FreeAgentsSource) {
    this.#source = source;
  }

  /**
   * The queue's free agents admitted by their profile, in rank order for a ranking strategy.
   * Agents at the head of the list that an offer of this pass took are dropped: each caller of a
   * burst starts at the first agent still free instead of passing over all the ones offered
   * before it (the pass stays linear in the callers).
   */
  of(queue: QueueConfig): Candidate[] {
    let list = this.#byQueue.get(queue.id);
    if (list) {
      let taken = 0;
      while (taken < list.length && this.#source.offering((list[taken] as Candidate).userId)) taken++;
      if (taken > 0) list.splice(0, taken);
      return list;
    }
    const { board, accounts, free } = this.#source;
    const byIdle = queue.strategy === 'longest_idle' || queue.strategy === 'fewest_calls';
    const byCalls = queue.strategy === 'fewest_calls';
    const gathered: Candidate[] = [];
    queue.agents.forEach(({ userId, priority }, order) => {
      const account = accounts.get(userId);
      if (!account || !free(userId)) return;
      const load = this.#loadOf(account);
      if (!load?.flags.includes('call')) return;
      this.#loads.set(userId, load);
      gathered.push({
        userId,
        priority,
        order,
        idleSince: byIdle ? board.idleSince(userId) : null,
        answeredToday: byCalls ? board.answeredToday(userId) : 0,
      });
    });
    list = isRanking(queue.strategy) ? rankAgents(queue.strategy, gathered) : gathered;
    this.#byQueue.set(queue.id, list);
    return list;
  }

  /**
   * Whether the agent may take this caller's call now: still free (an offer of this pass, or
   * one that failed at once, may have taken them), not the caller, and a channel left on both
   * sides (the call-admission rule; `callerLoad` null: only the agent's channels count).
   */
  takes(candidate: Candidate, callerId: number | null, callerLoad: ProfileLoad | null): boolean {
    const { userId } = candidate;
    if (userId === callerId || this.#source.offering(userId)) return false;
    const agentLoad = this.#loads.get(userId);
    if (!agentLoad) return false;
    const admitted = callerLoad
      ? canPlaceCall(callerLoad, agentLoad).allowed
      : agentLoad.channelsInUse < agentLoad.channelLimit;
    return admitted && this.#source.board.stateNameOf(userId) === 'available';
  }

  /**
   * Channels a profile's live calls use, counted once per pass (counting walks every live call;
   * the offers of a pass start no new one).
   */
  channelsInUse(profileId: number): number {
    let inUse = this.#channels.get(profileId);
    if (inUse === undefined) {
      inUse = this.#source.channelsInUse(profileId);
      this.#channels.set(profileId, inUse);
    }
    return inUse;
  }

  #loadOf(account: SipAccount): ProfileLoad | null {
    const { profile } = account;
    if (!profile) return null;
    const { name, flags, channelLimit } = profile;
    return { name, flags, channelLimit, channelsInUse: this.channelsInUse(profile.id) };
  }
}
