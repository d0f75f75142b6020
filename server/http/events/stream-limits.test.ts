import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log';
import { HttpError } from '../http-error';
import { EventStreamLimits } from './stream-limits';

function limits(perSession: number, perAddress: number) {
  const lines: string[] = [];
  const log = createLogger('info', (line) => {
    lines.push(line);
    return true;
  });
  return { limits: new EventStreamLimits(perSession, perAddress, log), lines };
}

const alice = { tokenHash: 'hash-a', username: 'alice' };
const bob = { tokenHash: 'hash-b', username: 'bob' };

function refusal(open: () => unknown): HttpError {
  try {
    open();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('the stream was not refused');
}

describe('EventStreamLimits', () => {
  it('refuses a session past its cap with a 429 and logs one sentence until it drops below', () => {
    const { limits: streams, lines } = limits(2, 100);
    const releases = [streams.acquire(alice, '10.0.0.1'), streams.acquire(alice, '10.0.0.2')];
    const error = refusal(() => streams.acquire(alice, '10.0.0.1'));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/session already has 2 live event streams open/);
    refusal(() => streams.acquire(alice, '10.0.0.3'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /WARN .*Refused a live event stream for alice: their session already has 2 open\./,
    );
    expect(lines[0]).not.toContain('hash-a');

    releases[0]!();
    releases[0]!(); // twice counts once
    const again = streams.acquire(alice, '10.0.0.1');
    refusal(() => streams.acquire(alice, '10.0.0.1'));
    expect(lines).toHaveLength(2);
    again();
    releases[1]!();
  });

  it('counts an address over all its sessions', () => {
    const { limits: streams, lines } = limits(5, 3);
    streams.acquire(alice, '10.0.0.1');
    streams.acquire(alice, '10.0.0.1');
    const last = streams.acquire(bob, '10.0.0.1');
    expect(refusal(() => streams.acquire(bob, '10.0.0.1')).message).toMatch(/address already has 3/);
    expect(lines[0]).toContain('from 10.0.0.1: 3 are already open');
    streams.acquire(bob, '10.0.0.2');
    last();
    streams.acquire(bob, '10.0.0.1');
  });
});
