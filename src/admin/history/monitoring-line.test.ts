import { describe, expect, it } from 'vitest';
import { monitoringLine } from './monitoring-line';

const session = {
  id: 'm1',
  byUserId: 4,
  byUsername: 'operator',
  mode: 'listen' as const,
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T09:01:12.000Z',
  changes: [],
};

describe('a monitor session in words', () => {
  it('names who, each mode in turn, and how long', () => {
    expect(monitoringLine(session)).toBe('operator listened (1 min 12 s)');
    expect(
      monitoringLine({
        ...session,
        changes: [
          { mode: 'whisper', at: '2026-11-23T09:00:10.000Z' },
          { mode: 'barge', at: '2026-11-23T09:00:20.000Z' },
        ],
      }),
    ).toBe('operator listened, then whispered, then barged in (1 min 12 s)');
  });

  it('says a session still running is going on now', () => {
    expect(monitoringLine({ ...session, endedAt: null })).toBe('operator listened (now)');
  });
});
