import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponse } from '../message/build-response';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { TransportName } from '../transport/transport';
import type { ClientTransactionDelegate } from './client-transaction';
import { FakeConnection } from './fake-connection.fixture';
import { request } from './request.fixture';
import { TransactionLayer, type IncomingRequestContext } from './transaction-layer';

function respond(to: SipRequest, status: number, toTag = 'totag'): SipResponse {
  return buildResponse(to, status, status === 200 ? 'OK' : 'Reason', { toTag });
}

function recorder() {
  const events: string[] = [];
  const finals: SipResponse[] = [];
  const delegate: ClientTransactionDelegate = {
    onProvisional: (r) => events.push(`provisional ${r.status}`),
    onFinal: (r) => {
      events.push(`final ${r.status}`);
      finals.push(r);
    },
    onTimeout: () => events.push('timeout'),
    onTransportError: () => events.push('transport error'),
    onTerminated: () => events.push('terminated'),
  };
  return { events, finals, delegate };
}

/** Times (ms since start) at which the connection sent something matching `pick`. */
function sendTimes(
  connection: FakeConnection,
  advanceTo: number,
  step = 100,
  pick = () => connection.sent.length,
): number[] {
  const times: number[] = [];
  let last = pick();
  for (let t = step; t <= advanceTo; t += step) {
    vi.advanceTimersByTime(step);
    const now = pick();
    for (let i = last; i < now; i++) times.push(t);
    last = now;
  }
  return times;
}

let layer: TransactionLayer;
let errors: unknown[];

beforeEach(() => {
  vi.useFakeTimers();
  errors = [];
  layer = new TransactionLayer({ onError: (error) => errors.push(error) });
});

afterEach(() => {
  vi.useRealTimers();
  expect(errors).toEqual([]);
});

describe('non-INVITE client transaction', () => {
  it('retransmits with timer E (doubling to T2) and times out with timer F on UDP', () => {
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    layer.sendRequest(request('OPTIONS'), connection, delegate);
    expect(connection.sent).toHaveLength(1);
    const times = sendTimes(connection, 32_000);
    expect(times).toEqual([500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(events).toEqual(['timeout', 'terminated']);
    expect(layer.transactionCount.client).toBe(0);
  });

  it('never retransmits on a reliable transport, but still times out', () => {
    const connection = new FakeConnection('ws');
    const { events, delegate } = recorder();
    layer.sendRequest(request('OPTIONS'), connection, delegate);
    vi.advanceTimersByTime(31_999);
    expect(connection.sent).toHaveLength(1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['timeout', 'terminated']);
  });

  it('retransmits every T2 once proceeding, and absorbs repeated finals until timer K', () => {
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    const options = request('OPTIONS');
    const tx = layer.sendRequest(options, connection, delegate);
    layer.receive(respond(options, 100), connection);
    expect(tx.state).toBe('proceeding');
    expect(sendTimes(connection, 9000)).toEqual([500, 4500, 8500]);
    layer.receive(respond(options, 200), connection);
    layer.receive(respond(options, 200), connection);
    expect(events).toEqual(['provisional 100', 'final 200']);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(4999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
    expect(events.at(-1)).toBe('terminated');
    // No retransmission after the final response.
    expect(connection.sent).toHaveLength(4);
  });

  it('terminates at once after the final response on a reliable transport (K = 0)', () => {
    const connection = new FakeConnection('ws');
    const { events, delegate } = recorder();
    const register = request('REGISTER');
    const tx = layer.sendRequest(register, connection, delegate);
    layer.receive(respond(register, 401), connection);
    expect(tx.state).toBe('terminated');
    expect(events).toEqual(['final 401', 'terminated']);
  });

  it('reports a transport error when the request cannot be sent', () => {
    const connection = new FakeConnection('ws');
    connection.failSends = true;
    const { events, delegate } = recorder();
    layer.sendRequest(request('MESSAGE'), connection, delegate);
    expect(events).toEqual(['transport error', 'terminated']);
    expect(layer.transactionCount.client).toBe(0);
  });
});

describe('INVITE client transaction', () => {
  it('retransmits with timer A (doubling, no cap) and times out with timer B on UDP', () => {
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    layer.sendRequest(request('INVITE'), connection, delegate);
    expect(sendTimes(connection, 32_000)).toEqual([500, 1500, 3500, 7500, 15_500, 31_500]);
    expect(events).toEqual(['timeout', 'terminated']);
  });

  it('stops retransmitting on a provisional response', () => {
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    const invite = request('INVITE');
    const tx = layer.sendRequest(invite, connection, delegate);
    vi.advanceTimersByTime(600);
    layer.receive(respond(invite, 180), connection);
    vi.advanceTimersByTime(60_000);
    expect(connection.sent).toHaveLength(2);
    expect(tx.state).toBe('proceeding');
    expect(events).toEqual(['provisional 180']);
  });

  it('ACKs a non-2xx final response, re-ACKs its retransmission, and ends after timer D', () => {
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    const invite = request('INVITE', { cseq: 7417 });
    const tx = layer.sendRequest(invite, connection, delegate);
    layer.receive(respond(invite, 486, 'busytag'), connection);
    const [ack] = connection.requests('ACK');
    expect(ack?.uri).toBe(invite.uri);
    expect(ack?.headers.getAll('via')).toEqual(invite.headers.getAll('via'));
    expect(ack?.headers.get('cseq')).toBe('7417 ACK');
    expect(ack?.headers.get('to')).toBe('<sip:bob@example.com>;tag=busytag');
    expect(ack?.headers.get('from')).toBe(invite.headers.get('from'));
    expect(ack?.headers.getAll('route')).toEqual(['<sip:edge.example.com;lr>']);
    layer.receive(respond(invite, 486, 'busytag'), connection);
    expect(connection.requests('ACK')).toHaveLength(2);
    expect(events).toEqual(['final 486']);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(31_999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['final 486', 'terminated']);
  });

  it('terminates right after the ACK on a reliable transport (D = 0)', () => {
    const connection = new FakeConnection('wss');
    const { events, delegate } = recorder();
    const invite = request('INVITE');
    layer.sendRequest(invite, connection, delegate);
    layer.receive(respond(invite, 603), connection);
    expect(connection.requests('ACK')).toHaveLength(1);
    expect(events).toEqual(['final 603', 'terminated']);
  });

  it('passes every 2xx up while Accepted (RFC 6026) and ends after timer M', () => {
    const connection = new FakeConnection('udp');
    const { events, finals, delegate } = recorder();
    const invite = request('INVITE');
    const tx = layer.sendRequest(invite, connection, delegate);
    layer.receive(respond(invite, 200, 'fork-a'), connection);
    layer.receive(respond(invite, 200, 'fork-b'), connection);
    layer.receive(respond(invite, 200, 'fork-a'), connection);
    expect(tx.state).toBe('accepted');
    expect(finals.map((r) => r.headers.get('to'))).toEqual([
      '<sip:bob@example.com>;tag=fork-a',
      '<sip:bob@example.com>;tag=fork-b',
      '<sip:bob@example.com>;tag=fork-a',
    ]);
    expect(connection.requests('ACK')).toHaveLength(0);
    vi.advanceTimersByTime(32_000);
    expect(events.at(-1)).toBe('terminated');
  });

  it('sends CANCEL as its own transaction, and responses reach the right one', () => {
    const connection = new FakeConnection('ws');
    const invite = recorder();
    const cancel = recorder();
    const inviteRequest = request('INVITE');
    const tx = layer.sendRequest(inviteRequest, connection, invite.delegate);
    layer.receive(respond(inviteRequest, 180), connection);
    if (tx.kind !== 'invite') throw new Error('expected INVITE');
    const cancelTx = layer.cancel(tx, cancel.delegate, 'SIP;cause=200;text="Call completed elsewhere"');
    const sentCancel = connection.requests('CANCEL')[0];
    expect(sentCancel?.headers.get('via')).toBe(inviteRequest.headers.get('via'));
    expect(sentCancel?.headers.get('cseq')).toBe('1 CANCEL');
    expect(sentCancel?.headers.get('reason')).toContain('cause=200');
    if (!sentCancel) return;
    layer.receive(respond(sentCancel, 200), connection);
    layer.receive(respond(inviteRequest, 487), connection);
    expect(cancel.events).toEqual(['final 200', 'terminated']);
    expect(invite.events).toEqual(['provisional 180', 'final 487', 'terminated']);
    expect(cancelTx.state).toBe('terminated');
  });

  it('hands responses matching no transaction to the stray handler', () => {
    const connection = new FakeConnection('ws');
    const stray: number[] = [];
    layer.onStrayResponse((response) => stray.push(response.status));
    layer.receive(respond(request('INVITE', { branch: 'z9hG4bKnobody' }), 200), connection);
    expect(stray).toEqual([200]);
  });
});

describe('server transactions', () => {
  function serve(transport: TransportName = 'udp') {
    const connection = new FakeConnection(transport);
    const seen: Array<{ request: SipRequest; context: IncomingRequestContext }> = [];
    layer.onRequest((request, context) => seen.push({ request, context }));
    return { connection, seen };
  }

  it('absorbs a retransmitted non-INVITE request, resending the final response until timer J', () => {
    const { connection, seen } = serve('udp');
    const register = request('REGISTER');
    layer.receive(register, connection);
    layer.receive(register, connection);
    expect(seen).toHaveLength(1);
    expect(connection.sent).toHaveLength(0);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(register, 100));
    layer.receive(register, connection);
    expect(connection.responses(100)).toHaveLength(2);
    layer.respond(tx, respond(register, 200));
    layer.receive(register, connection);
    layer.receive(register, connection);
    expect(connection.responses(200)).toHaveLength(3);
    expect(seen).toHaveLength(1);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(32_000);
    expect(tx.state).toBe('terminated');
    expect(layer.transactionCount.server).toBe(0);
  });

  it('drops a non-INVITE server transaction the TU never answers once the client gave up', () => {
    const { connection, seen } = serve('ws');
    layer.receive(request('MESSAGE'), connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    const events: string[] = [];
    tx.delegate = { onTimeout: () => events.push('timeout') };
    vi.advanceTimersByTime(31_999);
    expect(layer.transactionCount.server).toBe(1);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['timeout']);
    expect(layer.transactionCount.server).toBe(0);
  });

  it('ends a non-INVITE server transaction at once on a reliable transport (J = 0)', () => {
    const { connection, seen } = serve('ws');
    const options = request('OPTIONS');
    layer.receive(options, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(options, 200));
    expect(tx.state).toBe('terminated');
  });

  it('sends 100 Trying after 200 ms and repeats it for a retransmitted INVITE', () => {
    const { connection, seen } = serve('udp');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    vi.advanceTimersByTime(199);
    expect(connection.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(connection.responses(100)).toHaveLength(1);
    expect(connection.responses(100)[0]?.headers.get('to')).toBe('<sip:bob@example.com>');
    layer.receive(invite, connection);
    expect(connection.responses(100)).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('sends no 100 Trying when the TU answers first', () => {
    const { connection, seen } = serve('udp');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(invite, 180));
    vi.advanceTimersByTime(1000);
    expect(connection.sent.map((m) => m.kind === 'response' && m.status)).toEqual([180]);
  });

  it('retransmits a non-2xx with timer G until the ACK, which it absorbs, then ends after timer I', () => {
    const { connection, seen } = serve('udp');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(invite, 486));
    const pick = () => connection.responses(486).length;
    expect(sendTimes(connection, 12_000, 100, pick)).toEqual([500, 1500, 3500, 7500, 11_500]);
    const ack = request('ACK');
    layer.receive(ack, connection);
    expect(tx.state).toBe('confirmed');
    layer.receive(ack, connection);
    vi.advanceTimersByTime(4999);
    expect(pick()).toBe(6);
    expect(tx.state).toBe('confirmed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
    expect(seen.map((s) => s.request.method)).toEqual(['INVITE']);
  });

  it('reports timer H when the ACK never comes', () => {
    const { connection, seen } = serve('udp');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    const events: string[] = [];
    tx.delegate = {
      onTimeout: () => events.push('timeout'),
      onTerminated: () => events.push('terminated'),
    };
    layer.respond(tx, respond(invite, 404));
    vi.advanceTimersByTime(31_999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['timeout', 'terminated']);
  });

  it('does not retransmit on a reliable transport and ends on the ACK (I = 0)', () => {
    const { connection, seen } = serve('ws');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(invite, 480));
    vi.advanceTimersByTime(20_000);
    expect(connection.responses(480)).toHaveLength(1);
    layer.receive(request('ACK'), connection);
    expect(tx.state).toBe('terminated');
  });

  it('after a 2xx (Accepted), absorbs INVITE retransmissions and gives the 2xx ACK to the TU', () => {
    const { connection, seen } = serve('udp');
    const invite = request('INVITE');
    layer.receive(invite, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(invite, 200));
    expect(tx.state).toBe('accepted');
    layer.receive(invite, connection);
    expect(connection.responses(200)).toHaveLength(1);
    // Forwarding another fork's 2xx is allowed, a late 486 is not.
    expect(layer.respond(tx, respond(invite, 200, 'other'))).toBe(true);
    expect(layer.respond(tx, respond(invite, 486))).toBe(false);
    // The ACK for a 2xx is a new transaction (new branch), outside any transaction.
    layer.receive(request('ACK', { branch: 'z9hG4bKack2xx' }), connection);
    // Some UAs reuse the INVITE branch for it; it still reaches the TU.
    layer.receive(request('ACK'), connection);
    expect(seen.map((s) => [s.request.method, s.context.transaction])).toEqual([
      ['INVITE', tx],
      ['ACK', null],
      ['ACK', null],
    ]);
    vi.advanceTimersByTime(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('matches CANCEL to its INVITE by branch and sent-by, as a separate transaction', () => {
    const { connection, seen } = serve('ws');
    layer.receive(request('INVITE'), connection);
    layer.receive(request('CANCEL'), connection);
    layer.receive(request('CANCEL', { branch: 'z9hG4bKother' }), connection);
    layer.receive(request('CANCEL', { sentBy: 'elsewhere.example.com' }), connection);
    const [invite, cancel, unknown, foreign] = seen;
    expect(cancel?.context.cancelTarget).toBe(invite?.context.transaction);
    expect(cancel?.context.transaction?.kind).toBe('non-invite');
    expect(cancel?.context.transaction).not.toBe(invite?.context.transaction);
    expect(unknown?.context.cancelTarget).toBeNull();
    expect(foreign?.context.cancelTarget).toBeNull();
  });

  it('keeps transactions apart by sent-by and by method', () => {
    const { connection, seen } = serve('udp');
    layer.receive(request('OPTIONS'), connection);
    layer.receive(request('OPTIONS', { sentBy: 'other.example.com' }), connection);
    layer.receive(request('INVITE'), connection);
    expect(seen).toHaveLength(3);
    expect(layer.transactionCount.server).toBe(3);
  });

  it('matches RFC 2543 requests (no magic cookie) by their identity', () => {
    const { connection, seen } = serve('udp');
    const old = request('INVITE', { branch: '1234' });
    layer.receive(old, connection);
    layer.receive(old, connection);
    expect(seen).toHaveLength(1);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    layer.respond(tx, respond(old, 404));
    layer.receive(request('ACK', { branch: '1234' }), connection);
    expect(tx.state).toBe('confirmed');
  });

  it('answers 500 when the TU throws, and keeps working', () => {
    const connection = new FakeConnection('ws');
    let calls = 0;
    layer.onRequest(() => {
      calls++;
      throw new Error('TU bug');
    });
    layer.receive(request('OPTIONS'), connection);
    expect(connection.responses(500)).toHaveLength(1);
    expect(errors).toHaveLength(1);
    errors.length = 0;
    layer.receive(request('OPTIONS', { branch: 'z9hG4bKnext' }), connection);
    expect(calls).toBe(2);
    errors.length = 0;
  });

  it('reports a transport error when a response cannot be sent', () => {
    const { connection, seen } = serve('ws');
    const options = request('OPTIONS');
    layer.receive(options, connection);
    const tx = seen[0]?.context.transaction;
    if (!tx) throw new Error('expected a transaction');
    const events: string[] = [];
    tx.delegate = { onTransportError: () => events.push('transport error') };
    connection.closed = true;
    expect(layer.respond(tx, respond(options, 200))).toBe(false);
    expect(events).toEqual(['transport error']);
    expect(tx.state).toBe('terminated');
  });
});

describe('configurable timers', () => {
  it('scales every timer with T1', () => {
    layer = new TransactionLayer({ config: { t1: 100, t2: 400 } });
    const connection = new FakeConnection('udp');
    const { events, delegate } = recorder();
    layer.sendRequest(request('OPTIONS'), connection, delegate);
    expect(sendTimes(connection, 6400, 100)).toEqual([
      100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100, 5500, 5900, 6300,
    ]);
    expect(events).toEqual(['timeout', 'terminated']);
  });
});
