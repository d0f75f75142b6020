import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { LimitNotices } from './limit-notices';

describe('limit notices', () => {
  it('logs one warning per address a minute, then says how many it left out', () => {
    const lines: string[] = [];
    let now = 0;
    const notices = new LimitNotices(
      createLogger('warn', (line) => lines.push(line.slice(25)) > 0),
      60_000,
      () => now,
    );
    notices.say('192.0.2.1', 'closed the connection from 192.0.2.1:5000');
    notices.say('192.0.2.1', 'closed the connection from 192.0.2.1:5001');
    notices.say('192.0.2.1', 'closed the connection from 192.0.2.1:5002');
    notices.say('198.51.100.2', 'closed the connection from 198.51.100.2:6000');
    now = 60_000;
    notices.say('192.0.2.1', 'closed the connection from 192.0.2.1:5003');
    expect(lines).toEqual([
      'WARN  SIP edge: closed the connection from 192.0.2.1:5000.',
      'WARN  SIP edge: closed the connection from 198.51.100.2:6000.',
      'WARN  SIP edge: closed the connection from 192.0.2.1:5003 (and 2 more from this address in the minute before).',
    ]);
  });
});
