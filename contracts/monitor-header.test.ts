import { describe, expect, it } from 'vitest';
import { formatMonitorMark, parseMonitorMark } from './monitor-header';

describe('the monitor mark', () => {
  it('round-trips the operator’s request and the edge’s mark, quoting what needs it', () => {
    const request = { mode: 'listen', call: 'f47ac10b-58cc', callId: null, by: null } as const;
    expect(formatMonitorMark(request)).toBe('listen;call="f47ac10b-58cc"');
    expect(parseMonitorMark(formatMonitorMark(request))).toEqual(request);
    const edge = { mode: 'barge', call: null, callId: 'a;b"c@host', by: 'Olivia "Liv" O;Neil' } as const;
    expect(parseMonitorMark(formatMonitorMark(edge))).toEqual(edge);
  });

  it('reads a bare mode (a mode change) case-insensitively, ignoring unknown parameters', () => {
    expect(parseMonitorMark(' WHISPER ;x=1')).toEqual({
      mode: 'whisper',
      call: null,
      callId: null,
      by: null,
    });
  });

  it('refuses anything that names no known mode', () => {
    for (const value of [undefined, null, '', 'spy', ';call=1', 'listen-in'])
      expect(parseMonitorMark(value)).toBeNull();
  });
});
