import { describe, expect, it } from 'vitest';
import type { AgentStateChangeRow } from '../store/agent-state-changes-repository';
import type { QueueCallRow } from '../store/queue-calls-repository';
import { agentReport, queueFigures } from './queue-figures';

const at = (hh: number, mm = 0) => new Date(Date.UTC(2026, 11, 7, hh, mm));
let nextId = 1;
const change = (from: string, to: string, when: Date, reason: string | null = null): AgentStateChangeRow =>
  ({ id: nextId++, userId: 1, username: 'ann', from, to, reason, at: when }) as AgentStateChangeRow;
const call = (outcome: string, waitMs: number, answeredAt: Date | null = null, endedAt: Date | null = null) =>
  ({
    outcome,
    waitMs,
    answeredAt,
    endedAt,
    wrapUpEndedAt: null,
    agentId: answeredAt ? 1 : null,
  }) as QueueCallRow;

describe('queue figures', () => {
  it('service level over answered calls; average wait over every call that stopped waiting', () => {
    const figures = queueFigures(
      [
        call('answered', 5_000, at(9), at(9, 4)),
        call('answered', 25_000, at(10), at(10, 2)),
        call('abandoned', 60_000),
        call('waiting', 0),
      ],
      20,
    );
    expect(figures).toEqual({
      offered: 4,
      answered: 2,
      abandoned: 1,
      overflowed: 0,
      serviceLevel: 0.5,
      averageWaitSeconds: 30,
      longestWaitSeconds: 60,
      averageHandleSeconds: 180,
    });
    expect(queueFigures([], 20)).toMatchObject({ serviceLevel: null, averageWaitSeconds: null });
  });

  it('time in each state, from the state before the window, clipped to it and to now', () => {
    const [row] = agentReport({
      from: at(0),
      to: at(24),
      now: at(12),
      before: [change('offline', 'not_ready', new Date(Date.UTC(2026, 11, 6, 23)), 'Just signed in')],
      during: [
        change('not_ready', 'available', at(8)),
        change('available', 'ringing', at(9)),
        change('ringing', 'not_ready', at(9, 1), 'Missed a queue call'),
        change('not_ready', 'available', at(10)),
        change('available', 'ringing', at(11)),
        change('ringing', 'on_call', at(11, 1)),
      ],
      calls: [],
    });
    expect(row).toMatchObject({ username: 'ann', offered: 2, answered: 1, missed: 1 });
    expect(row?.secondsInState).toEqual({
      not_ready: 8 * 3600 + 59 * 60,
      available: 3600 + 3600,
      ringing: 120,
      on_call: 59 * 60,
      wrap_up: 0,
      offline: 0,
    });
  });
});
