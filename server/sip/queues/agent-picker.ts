import type { QueueStrategy } from '../../../contracts/queues';

/** An agent who may be offered a call now, with what the strategies compare. */
export interface Candidate {
  readonly userId: number;
  /** 1 is offered calls first. */
  readonly priority: number;
  /** Position in the queue's agent list (round robin's order, the last tie-break). */
  readonly order: number;
  readonly idleSince: Date | null;
  readonly answeredToday: number;
}

const idleTime = (candidate: Candidate) => candidate.idleSince?.getTime() ?? Number.POSITIVE_INFINITY;
const byIdle = (a: Candidate, b: Candidate) => idleTime(a) - idleTime(b) || a.order - b.order;
const byCalls = (a: Candidate, b: Candidate) => a.answeredToday - b.answeredToday || byIdle(a, b);

/** Strategies that choose one agent by comparing them (the others depend on the call or take all). */
export type RankingStrategy = 'longest_idle' | 'fewest_calls';

export const isRanking = (strategy: QueueStrategy): strategy is RankingStrategy =>
  strategy === 'longest_idle' || strategy === 'fewest_calls';

/**
 * The candidates in the order a ranking strategy offers them: best priority first, then as
 * `pickAgents` compares them, so the first of any subset is what `pickAgents` picks from that
 * subset. The queue engine sorts a queue's free agents once per pass and hands them to every
 * waiting call in turn instead of comparing all of them again for each call.
 */
export function rankAgents(strategy: RankingStrategy, candidates: readonly Candidate[]): Candidate[] {
  const compare = strategy === 'fewest_calls' ? byCalls : byIdle;
  return [...candidates].sort((a, b) => a.priority - b.priority || compare(a, b));
}

/**
 * Whom to offer a call to: the best priority present first, then the queue's strategy among
 * those — the agent idle longest, the next after the last one offered (round robin, by list
 * order), the one with the fewest calls answered today (ties: idle longest), or all of them at
 * once (ring all). Empty when nobody is a candidate.
 */
export function pickAgents(
  strategy: QueueStrategy,
  candidates: readonly Candidate[],
  lastOfferedOrder: number | null,
): Candidate[] {
  if (candidates.length === 0) return [];
  const best = Math.min(...candidates.map((c) => c.priority));
  const tier = candidates.filter((c) => c.priority === best);
  if (strategy === 'ring_all') return tier;
  if (strategy === 'round_robin') {
    const inOrder = [...tier].sort((a, b) => a.order - b.order);
    const after = lastOfferedOrder ?? -1;
    return [inOrder.find((c) => c.order > after) ?? (inOrder[0] as Candidate)];
  }
  const compare = strategy === 'fewest_calls' ? byCalls : byIdle;
  let chosen = tier[0] as Candidate;
  for (const candidate of tier) if (compare(candidate, chosen) < 0) chosen = candidate;
  return [chosen];
}
