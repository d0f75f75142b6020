import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponse } from '../message/build-response';
import type { SipRequest } from '../message/sip-message';
import { FakeConnection } from './fake-connection.fixture';
import { request } from './request.fixture';
import type { ServerTransaction } from './server-transaction';
import { systemTimerHost, type TimerHost } from './timer-host';
import { TransactionLayer } from './transaction-layer';

// The timers that wait for the TU (100 Trying, the non-INVITE abandon) start at the end of
// the turn a request came in, and only when it is still unanswered then.

/** A request whose branch and Call-ID end in `id`. */
function arriving(method: string, id: string): SipRequest {
  return request(method, { branch: `z9hG4bK${id}`, callId: `call-${id}` });
}

/** The system timer host (under fake timers), counting what the layer asks of it. */
function countingHost(overrides: Partial<TimerHost> = {}) {
  const scheduled: number[] = [];
  let soon = 0;
  const host: TimerHost = {
    schedule(delayMs, callback) {
      scheduled.push(delayMs);
      return systemTimerHost.schedule(delayMs, callback);
    },
    soon(callback) {
      soon++;
      (overrides.soon ?? systemTimerHost.soon)(callback);
    },
    now: () => systemTimerHost.now(),
  };
  return { host, scheduled, soonCalls: () => soon };
}

/** Lets the promise callbacks of this turn run, as a TU awaiting in-memory lookups does. */
async function promiseCallbacks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let errors: unknown[];

beforeEach(() => {
  vi.useFakeTimers();
  errors = [];
});

afterEach(() => {
  vi.useRealTimers();
  expect(errors).toEqual([]);
});

function layerWith(host: TimerHost, answer: (request: SipRequest, tx: ServerTransaction) => void) {
  const layer = new TransactionLayer({ timers: host, onError: (error) => errors.push(error) });
  layer.onRequest((request, context) => {
    const tx = context.transaction;
    if (tx) answer(request, tx);
  });
  return layer;
}

/** Answers like handleRegister: after an await, within the same turn. */
function answerAfterAwait(status: number) {
  return (request: SipRequest, tx: ServerTransaction) => {
    void Promise.resolve().then(() => tx.respond(buildResponse(request, status, 'Reason')));
  };
}

describe('timers waiting for the TU', () => {
  it('starts no timer for REGISTERs answered within their turn on a reliable transport', async () => {
    const { host, scheduled, soonCalls } = countingHost();
    const layer = layerWith(host, answerAfterAwait(401));
    const connection = new FakeConnection('ws');
    for (const branch of ['a1', 'a2', 'a3']) layer.receive(arriving('REGISTER', branch), connection);
    await promiseCallbacks();
    expect(connection.responses(401)).toHaveLength(3);
    vi.advanceTimersByTime(0);
    expect(scheduled).toEqual([]);
    expect(soonCalls()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(layer.transactionCount.server).toBe(0);
  });

  it('on UDP, starts only timer J for a REGISTER answered within its turn', async () => {
    const { host, scheduled } = countingHost();
    const layer = layerWith(host, answerAfterAwait(200));
    const connection = new FakeConnection('udp');
    layer.receive(arriving('REGISTER', 'u1'), connection);
    await promiseCallbacks();
    vi.advanceTimersByTime(0);
    expect(scheduled).toEqual([32_000]);
    vi.advanceTimersByTime(32_000);
    expect(layer.transactionCount.server).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends no 100 Trying and starts no trying timer for an INVITE answered within its turn', async () => {
    const { host, scheduled } = countingHost();
    const layer = layerWith(host, answerAfterAwait(180));
    const connection = new FakeConnection('udp');
    layer.receive(arriving('INVITE', 'i1'), connection);
    await promiseCallbacks();
    vi.advanceTimersByTime(1000);
    expect(scheduled).not.toContain(200);
    expect(connection.sent.map((m) => m.kind === 'response' && m.status)).toEqual([180]);
    expect(layer.transactionCount.server).toBe(1);
  });

  it('still sends 100 Trying 200 ms after the INVITE when the answer comes later', () => {
    const { host } = countingHost();
    const layer = layerWith(host, (invite, tx) => {
      setTimeout(() => tx.respond(buildResponse(invite, 180, 'Ringing')), 300);
    });
    const connection = new FakeConnection('udp');
    layer.receive(arriving('INVITE', 'i2'), connection);
    vi.advanceTimersByTime(199);
    expect(connection.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(connection.sent.map((m) => m.kind === 'response' && m.status)).toEqual([100]);
    vi.advanceTimersByTime(100);
    expect(connection.sent.map((m) => m.kind === 'response' && m.status)).toEqual([100, 180]);
  });

  it('counts 100 Trying and the abandon timer from the arrival, not from the end of a long turn', () => {
    let endOfTurn: (() => void) | null = null;
    const { host } = countingHost({ soon: (callback) => (endOfTurn = callback) });
    const timeouts: string[] = [];
    const layer = layerWith(host, (_request, tx) => {
      tx.delegate = { onTimeout: () => timeouts.push(tx.request.method) };
    });
    const udp = new FakeConnection('udp');
    const ws = new FakeConnection('ws');
    layer.receive(arriving('INVITE', 'i3'), udp);
    layer.receive(arriving('MESSAGE', 'm1'), ws);
    // The turn goes on for 150 ms of the clock before its end runs.
    vi.advanceTimersByTime(150);
    expect(endOfTurn).not.toBeNull();
    endOfTurn!();
    vi.advanceTimersByTime(49);
    expect(udp.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(udp.responses(100)).toHaveLength(1);
    vi.advanceTimersByTime(31_999 - 200);
    expect(timeouts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(timeouts).toEqual(['MESSAGE']);
    expect(layer.transactionCount.server).toBe(1);
  });

  it('keeps the abandon timer for a non-INVITE given only a provisional answer within its turn', async () => {
    const { host, scheduled } = countingHost();
    const timeouts: number[] = [];
    const layer = layerWith(host, (message, tx) => {
      tx.delegate = { onTimeout: () => timeouts.push(Date.now()) };
      void Promise.resolve().then(() => tx.respond(buildResponse(message, 100, 'Trying')));
    });
    const connection = new FakeConnection('ws');
    const start = Date.now();
    layer.receive(arriving('MESSAGE', 'm2'), connection);
    await promiseCallbacks();
    vi.advanceTimersByTime(0);
    expect(scheduled).toEqual([32_000]);
    vi.advanceTimersByTime(32_000);
    expect(timeouts).toEqual([start + 32_000]);
    expect(layer.transactionCount.server).toBe(0);
  });

  it('asks for no end of turn when the TU answered at once on a reliable transport', () => {
    const { host, scheduled, soonCalls } = countingHost();
    const layer = layerWith(host, (options, tx) => tx.respond(buildResponse(options, 200, 'OK')));
    const connection = new FakeConnection('ws');
    layer.receive(arriving('OPTIONS', 'o1'), connection);
    expect(connection.responses(200)).toHaveLength(1);
    expect(soonCalls()).toBe(0);
    expect(scheduled).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(layer.transactionCount.server).toBe(0);
  });
});
