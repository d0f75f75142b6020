import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponse } from '../message/build-response';
import { parseMessage } from '../message/parse-message';
import type { SipMessage, SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { TransactionLayer } from './transaction-layer';

/** One end of a UDP-like link with 10 ms latency that can drop chosen messages. */
class LossyEnd implements SipConnection {
  readonly transport = 'udp' as const;
  readonly reliable = false;
  readonly remoteAddress = '198.51.100.1';
  readonly remotePort = 5060;
  readonly closed = false;
  readonly authenticated = true;
  peer: LossyEnd | null = null;
  receiver: TransactionLayer | null = null;
  drop: (message: SipMessage, index: number) => boolean = () => false;
  readonly log: string[] = [];
  #count = 0;

  constructor(readonly id: string) {}

  send(text: string): boolean {
    const result = parseMessage(text);
    if (!result.ok) throw new Error(result.error.reason);
    const message = result.message;
    const label = message.kind === 'request' ? message.method : String(message.status);
    const dropped = this.drop(message, this.#count++);
    this.log.push(dropped ? `${label} (lost)` : label);
    const peer = this.peer;
    if (!dropped && peer) setTimeout(() => peer.receiver?.receive(message, peer), 10);
    return true;
  }

  markAuthenticated(): void {}

  close(): void {}

  onClose(): () => void {
    return () => {};
  }
}

function invite(): SipRequest {
  const result = parseMessage(
    [
      'INVITE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP alice.example.com;branch=z9hG4bKinterop',
      'Max-Forwards: 70',
      'From: <sip:alice@example.com>;tag=a1',
      'To: <sip:bob@example.com>',
      'Call-ID: interop-1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  if (!result.ok || result.message.kind !== 'request') throw new Error('bad fixture');
  return result.message;
}

let client: TransactionLayer;
let server: TransactionLayer;
let clientEnd: LossyEnd;
let serverEnd: LossyEnd;

beforeEach(() => {
  vi.useFakeTimers();
  client = new TransactionLayer();
  server = new TransactionLayer();
  clientEnd = new LossyEnd('client');
  serverEnd = new LossyEnd('server');
  clientEnd.peer = serverEnd;
  serverEnd.peer = clientEnd;
  clientEnd.receiver = client;
  serverEnd.receiver = server;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('client and server transaction layers over a lossy UDP link', () => {
  it('recovers a lost INVITE, a lost 486 and a lost ACK', () => {
    const requestsSeen: string[] = [];
    server.onRequest((request, { transaction }) => {
      requestsSeen.push(request.method);
      if (transaction) server.respond(transaction, buildResponse(request, 486, 'Busy Here'));
    });
    clientEnd.drop = (message, index) =>
      index === 0 || (message.kind === 'request' && message.method === 'ACK' && index === 2);
    serverEnd.drop = (_message, index) => index === 0;
    const finals: number[] = [];
    const tx = client.sendRequest(invite(), clientEnd, { onFinal: (r) => finals.push(r.status) });

    vi.advanceTimersByTime(40_000);
    expect(clientEnd.log).toEqual(['INVITE (lost)', 'INVITE', 'ACK (lost)', 'ACK']);
    expect(serverEnd.log).toEqual(['486 (lost)', '486', '486']);
    expect(requestsSeen).toEqual(['INVITE']);
    expect(finals).toEqual([486]);
    expect(tx.state).toBe('terminated');
    expect(server.transactionCount).toEqual({ client: 0, server: 0 });
    expect(client.transactionCount).toEqual({ client: 0, server: 0 });
  });

  it('absorbs duplicated requests and responses on the way', () => {
    let handled = 0;
    server.onRequest((request, { transaction }) => {
      handled++;
      if (!transaction) return;
      // Answer late so that the client retransmits into a server in Proceeding.
      setTimeout(() => server.respond(transaction, buildResponse(request, 200, 'OK')), 2000);
    });
    const finals: number[] = [];
    const options = invite();
    options.method = 'OPTIONS';
    options.headers.set('CSeq', '1 OPTIONS');
    client.sendRequest(options, clientEnd, { onFinal: (r) => finals.push(r.status) });
    vi.advanceTimersByTime(40_000);
    expect(handled).toBe(1);
    expect(clientEnd.log.filter((l) => l === 'OPTIONS').length).toBeGreaterThan(2);
    expect(finals).toEqual([200]);
  });
});
