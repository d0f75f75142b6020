import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponse } from '../message/build-response';
import { parseMessage } from '../message/parse-message';
import type { SipRequest } from '../message/sip-message';
import { FakeConnection } from './fake-connection.fixture';
import type { PreAuthLimits } from './pre-auth-budget';
import { TransactionLayer, type IncomingRequestContext } from './transaction-layer';

let counter = 0;

function request(method: string, options: { branch?: string; bodyBytes?: number } = {}): SipRequest {
  const branch = options.branch ?? `z9hG4bK${++counter}x`;
  const body = 'x'.repeat(options.bodyBytes ?? 0);
  const text = [
    `${method} sip:bob@example.com SIP/2.0`,
    `Via: SIP/2.0/WS client.invalid;branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=fromtag',
    'To: <sip:bob@example.com>',
    `Call-ID: call-${branch}`,
    `CSeq: 1 ${method}`,
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n');
  const result = parseMessage(text);
  if (!result.ok || result.message.kind !== 'request') throw new Error('bad fixture');
  return result.message;
}

/** The ACK a client sends for a non-2xx final response to `invite`. */
function ackFor(invite: SipRequest): SipRequest {
  const branch = /branch=([^;]+)/.exec(invite.headers.get('via') ?? '')?.[1] ?? '';
  return request('ACK', { branch });
}

let layer: TransactionLayer;
let limits: string[];
let seen: Array<{ request: SipRequest; context: IncomingRequestContext }>;
/** Whether the TU answers each INVITE with 407 at once (else it leaves it pending). */
let challenge: boolean;

function start(preAuth: Partial<PreAuthLimits>): void {
  limits = [];
  seen = [];
  challenge = true;
  layer = new TransactionLayer({
    preAuth,
    onLimit: (connection, sentence) => limits.push(`${connection.id}: ${sentence}`),
  });
  layer.onRequest((req, context) => {
    seen.push({ request: req, context });
    if (challenge && context.transaction && req.method !== 'ACK') {
      context.transaction.respond(buildResponse(req, 407, 'Proxy Authentication Required'));
    }
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('limits before authentication', () => {
  it('closes a connection that holds too many unacknowledged transactions, and says so once', () => {
    start({ transactionsPerConnection: 3 });
    const ws = new FakeConnection('ws', 'ws-1');
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), ws);
    expect(ws.responses(407)).toHaveLength(3);
    expect(layer.transactionCount.server).toBe(3);
    expect(ws.closed).toBe(false);

    layer.receive(request('INVITE'), ws);
    layer.receive(request('INVITE'), ws);
    expect(ws.closed).toBe(true);
    expect(ws.closeReason).toBe('Too many requests before authentication (3 transactions per connection)');
    expect(limits).toEqual(['ws-1: Too many requests before authentication (3 transactions per connection)']);
    expect(seen).toHaveLength(3);
    // No ACK can come on a closed WebSocket: its transactions end now, not at timer H.
    expect(layer.transactionCount.server).toBe(0);
    expect(layer.preAuthHolders).toEqual({ connections: 0, addresses: 0 });
  });

  it('lets a client that acknowledges its challenges go on as long as it likes', () => {
    start({ transactionsPerConnection: 2 });
    const ws = new FakeConnection('ws');
    for (let i = 0; i < 50; i++) {
      const invite = request('INVITE');
      layer.receive(invite, ws);
      layer.receive(ackFor(invite), ws);
    }
    expect(ws.responses(407)).toHaveLength(50);
    expect(ws.closed).toBe(false);
    expect(layer.transactionCount.server).toBe(0);
    expect(limits).toEqual([]);
  });

  it('counts the bytes of requests still being handled', () => {
    start({ bytesPerConnection: 20 * 1024 });
    challenge = false;
    const ws = new FakeConnection('ws');
    layer.receive(request('INVITE', { bodyBytes: 8000 }), ws);
    layer.receive(request('INVITE', { bodyBytes: 8000 }), ws);
    expect(ws.closed).toBe(false);
    layer.receive(request('INVITE', { bodyBytes: 8000 }), ws);
    expect(ws.closed).toBe(true);
    expect(limits[0]).toContain('(20 KiB per connection)');
  });

  it('answered with a final non-2xx, a large INVITE keeps only what the ACK and retransmissions need', () => {
    start({ bytesPerConnection: 20 * 1024 });
    const ws = new FakeConnection('ws');
    const invite = request('INVITE', { bodyBytes: 16_000 });
    layer.receive(invite, ws);
    const transaction = seen[0]?.context.transaction;
    if (transaction?.kind !== 'invite') throw new Error('expected an INVITE transaction');
    expect(transaction.state).toBe('completed');
    expect(transaction.heldBytes).toBeLessThan(1024);
    expect(transaction.request.body).toBe('');
    expect(transaction.request.headers.has('via')).toBe(false);
    expect(transaction.lastResponse?.status).toBe(407);

    // Its 16 KB no longer count: more large INVITEs fit in the 20 KiB.
    layer.receive(request('INVITE', { bodyBytes: 16_000 }), ws);
    layer.receive(request('INVITE', { bodyBytes: 16_000 }), ws);
    expect(ws.closed).toBe(false);

    // A retransmission gets the same 407; the ACK ends the transaction.
    layer.receive(invite, ws);
    expect(ws.responses(407)).toHaveLength(4);
    expect(ws.responses(407)[3]?.headers.get('via')).toBe(invite.headers.get('via'));
    layer.receive(ackFor(invite), ws);
    expect(transaction.state).toBe('terminated');
  });

  it('caps an address across its connections, closing only the one that goes over', () => {
    start({ transactionsPerConnection: 3, transactionsPerAddress: 4 });
    const first = new FakeConnection('ws', 'ws-a', '198.51.100.7');
    const second = new FakeConnection('ws', 'ws-b', '198.51.100.7');
    const elsewhere = new FakeConnection('ws', 'ws-c', '203.0.113.9');
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), first);
    layer.receive(request('INVITE'), second);
    layer.receive(request('INVITE'), second);
    expect(first.closed).toBe(false);
    expect(second.closed).toBe(true);
    expect(limits).toEqual(['ws-b: Too many requests before authentication (4 transactions per address)']);
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), elsewhere);
    expect(elsewhere.closed).toBe(false);
  });

  it('does not limit an authenticated connection, and forgets what it held before', () => {
    start({ transactionsPerConnection: 3 });
    const ws = new FakeConnection('ws');
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), ws);
    expect(layer.preAuthHolders).toEqual({ connections: 1, addresses: 1 });
    ws.markAuthenticated();
    for (let i = 0; i < 20; i++) layer.receive(request('INVITE'), ws);
    expect(ws.closed).toBe(false);
    expect(layer.transactionCount.server).toBe(23);
    expect(layer.preAuthHolders).toEqual({ connections: 0, addresses: 0 });
  });

  it('frees the budget when timer H ends transactions nobody acknowledged', () => {
    start({ transactionsPerConnection: 3 });
    const ws = new FakeConnection('ws');
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), ws);
    vi.advanceTimersByTime(32_000);
    expect(layer.transactionCount.server).toBe(0);
    for (let i = 0; i < 3; i++) layer.receive(request('INVITE'), ws);
    expect(ws.closed).toBe(false);
  });
});
