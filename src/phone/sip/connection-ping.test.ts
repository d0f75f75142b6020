import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PONG_TIMEOUT_MS, pingAnswered } from './connection-ping';

/** A socket and a `send` as sip.js's transport has them; `answer` says what comes back to a ping. */
function transport(answer: (ws: EventTarget) => void) {
  const ws = new EventTarget();
  const sent: string[] = [];
  return {
    sent,
    ws,
    send: (message: string) => {
      sent.push(message);
      answer(ws);
      return Promise.resolve();
    },
  };
}

const reply = (ws: EventTarget, data: string) =>
  setTimeout(() => ws.dispatchEvent(new MessageEvent('message', { data })), 100);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a keep-alive ping on the SIP connection', () => {
  it('sends a double CRLF and is answered by a CRLF pong', async () => {
    const live = transport((ws) => reply(ws, '\r\n'));
    const answered = pingAnswered(live);
    await vi.advanceTimersByTimeAsync(100);
    expect(await answered).toBe(true);
    expect(live.sent).toEqual(['\r\n\r\n']);
  });

  it('counts as unanswered when no pong comes within the timeout (a SIP message is no pong)', async () => {
    const dead = transport((ws) => reply(ws, 'OPTIONS sip:agent1@switchboard.local SIP/2.0\r\n\r\n'));
    let answered: boolean | undefined;
    void pingAnswered(dead).then((value) => (answered = value));
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS - 1);
    expect(answered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toBe(false);
  });

  it('a pong after the timeout is too late, and the listener is gone', async () => {
    const slow = transport((ws) =>
      setTimeout(() => ws.dispatchEvent(new MessageEvent('message', { data: '\r\n' })), 600),
    );
    const removed = vi.spyOn(slow.ws, 'removeEventListener');
    const answered = pingAnswered(slow, 500);
    await vi.advanceTimersByTimeAsync(600);
    expect(await answered).toBe(false);
    expect(removed).toHaveBeenCalledWith('message', expect.any(Function));
  });

  it('waits a moment more for a pong when the page was frozen or busy past the timeout', async () => {
    const ws = new EventTarget();
    const frozen = { ws, send: () => Promise.resolve() };
    let answered: boolean | undefined;
    void pingAnswered(frozen, 500).then((value) => (answered = value));
    // The page's clock jumps past the timeout (the tab was frozen); the pong is still queued.
    const wake = performance.now() + 2_000;
    vi.spyOn(performance, 'now').mockImplementation(() => wake);
    await vi.advanceTimersByTimeAsync(500);
    expect(answered).toBeUndefined();
    ws.dispatchEvent(new MessageEvent('message', { data: '\r\n' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toBe(true);
  });

  it('is unanswered at once without a socket or when sending fails', async () => {
    expect(await pingAnswered({ send: () => Promise.resolve() })).toBe(false);
    const broken = { ws: new EventTarget(), send: () => Promise.reject(new Error('Not connected.')) };
    expect(await pingAnswered(broken)).toBe(false);
  });
});
