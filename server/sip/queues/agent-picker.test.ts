import { describe, expect, it } from 'vitest';
import { pickAgents, rankAgents, type Candidate } from './agent-picker';

const at = (minutesAgo: number) => new Date(Date.UTC(2026, 11, 6, 12, 0) - minutesAgo * 60_000);
const agent = (userId: number, fields: Partial<Candidate> = {}): Candidate => ({
  userId,
  priority: 1,
  order: userId,
  idleSince: at(0),
  answeredToday: 0,
  ...fields,
});
const ids = (list: Candidate[]) => list.map((c) => c.userId);

describe('pickAgents', () => {
  it('offers nobody when nobody is a candidate', () => {
    expect(pickAgents('longest_idle', [], null)).toEqual([]);
  });

  it('takes the best priority present before any strategy', () => {
    const list = [agent(1, { priority: 2, idleSince: at(60) }), agent(2, { priority: 1, idleSince: at(1) })];
    expect(ids(pickAgents('longest_idle', list, null))).toEqual([2]);
    expect(ids(pickAgents('ring_all', [...list, agent(3)], null))).toEqual([2, 3]);
  });

  it('longest idle: the earliest idleSince, an unknown one last, list order on ties', () => {
    const list = [
      agent(1, { idleSince: null }),
      agent(2, { idleSince: at(5) }),
      agent(3, { idleSince: at(9) }),
    ];
    expect(ids(pickAgents('longest_idle', list, null))).toEqual([3]);
    expect(
      ids(pickAgents('longest_idle', [agent(4, { idleSince: at(3) }), agent(5, { idleSince: at(3) })], null)),
    ).toEqual([4]);
  });

  it('fewest calls today, ties broken by idle time', () => {
    const list = [
      agent(1, { answeredToday: 3, idleSince: at(50) }),
      agent(2, { answeredToday: 1, idleSince: at(2) }),
      agent(3, { answeredToday: 1, idleSince: at(7) }),
    ];
    expect(ids(pickAgents('fewest_calls', list, null))).toEqual([3]);
  });

  it('round robin: the next in list order after the last one offered, wrapping around', () => {
    const list = [agent(1, { order: 0 }), agent(2, { order: 1 }), agent(3, { order: 2 })];
    expect(ids(pickAgents('round_robin', list, null))).toEqual([1]);
    expect(ids(pickAgents('round_robin', list, 0))).toEqual([2]);
    expect(ids(pickAgents('round_robin', list, 2))).toEqual([1]);
    // The next one is not a candidate now: the one after it.
    expect(ids(pickAgents('round_robin', [list[0] as Candidate, list[2] as Candidate], 0))).toEqual([3]);
  });
});

describe('rankAgents', () => {
  const list = [
    agent(1, { priority: 2, idleSince: at(90), answeredToday: 0 }),
    agent(2, { idleSince: null, answeredToday: 1 }),
    agent(3, { idleSince: at(5), answeredToday: 4 }),
    agent(4, { idleSince: at(9), answeredToday: 1 }),
    agent(5, { idleSince: at(9), answeredToday: 1 }),
  ];

  it('orders by priority, then as the strategy compares, list order on ties', () => {
    expect(ids(rankAgents('longest_idle', list))).toEqual([4, 5, 3, 2, 1]);
    expect(ids(rankAgents('fewest_calls', list))).toEqual([4, 5, 2, 3, 1]);
  });

  it('puts first, in every subset, the agent pickAgents picks from it', () => {
    for (const strategy of ['longest_idle', 'fewest_calls'] as const)
      for (let mask = 1; mask < 1 << list.length; mask++) {
        const subset = list.filter((_, i) => mask & (1 << i));
        const first = rankAgents(strategy, list).find((c) => subset.includes(c));
        expect(first?.userId).toBe(pickAgents(strategy, subset, null)[0]?.userId);
      }
  });
});
