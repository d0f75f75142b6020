import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildResponse } from '../message/build-response';
import { parseMessage } from '../message/parse-message';
import { serializeMessage } from '../message/serialize-message';
import type { SipMessage, SipRequest } from '../message/sip-message';
import { TransactionLayer } from '../transaction/transaction-layer';
import type { SipConnection } from './transport';
import { createUdpTransport, type UdpTransport } from './udp-transport';

let transport: UdpTransport;
let port: number;
let peer: Socket;
let peerPort: number;
const inbox: SipMessage[] = [];
const received: { message: SipMessage; connection: SipConnection }[] = [];

const request = (method: string, via: string, body = '') =>
  [
    `${method} sip:agent1@switchboard.local SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:agent2@switchboard.local>;tag=f1',
    'To: <sip:agent1@switchboard.local>',
    'Call-ID: udp-test',
    `CSeq: 1 ${method}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');

const until = async (check: () => boolean, ms = 2000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const send = (text: string) => peer.send(text, port, '127.0.0.1');

beforeEach(async () => {
  transport = createUdpTransport();
  ({ port } = await transport.listen(0, '127.0.0.1'));
  transport.onMessage((message, connection) => received.push({ message, connection }));
  peer = createSocket('udp4');
  await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
  peerPort = peer.address().port;
  peer.on('message', (data) => {
    const parsed = parseMessage(data);
    if (parsed.ok) inbox.push(parsed.message);
  });
});

afterEach(async () => {
  inbox.length = 0;
  received.length = 0;
  peer.close();
  await transport.close();
});

describe('UDP transport', () => {
  it('stamps received and rport, and the flow answers to the source address and port (RFC 3581)', async () => {
    send(request('OPTIONS', 'SIP/2.0/UDP phone.invalid:5999;branch=z9hG4bKa;rport'));
    await until(() => received.length === 1);
    const { message, connection } = received[0] ?? {};
    expect(message?.headers.get('via')).toBe(
      `SIP/2.0/UDP phone.invalid:5999;branch=z9hG4bKa;rport=${peerPort};received=127.0.0.1`,
    );
    expect(connection).toMatchObject({
      transport: 'udp',
      reliable: false,
      remoteAddress: '127.0.0.1',
      remotePort: peerPort,
      localAddress: '127.0.0.1',
      localPort: port,
    });
    connection?.send(serializeMessage(buildResponse(message as SipRequest, 200, 'OK')));
    await until(() => inbox.length === 1);
    expect(inbox[0]).toMatchObject({ kind: 'response', status: 200 });
  });

  it('without rport, answers to the source address and the Via port (RFC 3261 18.2.2)', async () => {
    send(request('OPTIONS', 'SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKb'));
    await until(() => received.length === 1);
    expect(received[0]?.connection.remotePort).toBe(5999);
    expect(received[0]?.message.headers.get('via')).not.toContain('received=');
  });

  it('gives the same flow for the same address, and a new one once it is closed', async () => {
    const via = 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKc;rport';
    send(request('OPTIONS', via));
    send(request('OPTIONS', via.replace('bKc', 'bKd')));
    await until(() => received.length === 2);
    const [first, second] = received;
    expect(first?.connection).toBe(second?.connection);
    let closed = 0;
    first?.connection.onClose(() => closed++);
    first?.connection.close();
    expect(closed).toBe(1);
    expect(first?.connection.send('x')).toBe(false);
    expect(transport.flowTo('127.0.0.1', peerPort)).not.toBe(first?.connection);
  });

  it('answers an unparseable request with 400 and ignores CRLF keep-alives', async () => {
    send('\r\n\r\n');
    send(
      request('OPTIONS', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKe;rport').replace(
        'OPTIONS sip:',
        'OPTIONS  sip:',
      ),
    );
    await until(() => inbox.length === 1);
    expect(inbox[0]).toMatchObject({ kind: 'response', status: 400 });
    expect(received).toHaveLength(0);
  });

  it('carries a message larger than 1300 bytes whole (a fragmented datagram)', async () => {
    const body = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\r\n'.repeat(100)}`;
    send(request('INVITE', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKf;rport', body));
    await until(() => received.length === 1);
    expect(Buffer.byteLength(received[0]?.message.body ?? '')).toBeGreaterThan(5000);
    expect(received[0]?.message.body).toBe(body);
    const flow = transport.flowTo('127.0.0.1', peerPort);
    const echo = received[0]?.message as SipRequest;
    expect(flow.send(serializeMessage({ ...echo, headers: echo.headers }))).toBe(true);
    await until(() => inbox.length === 1);
    expect(inbox[0]?.body).toBe(body);
  });

  it('with the transaction layer: a retransmitted INVITE reaches the TU once and repeats the 100', async () => {
    const layer = new TransactionLayer();
    layer.attach(transport);
    let invites = 0;
    layer.onRequest(() => invites++);
    const invite = request('INVITE', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKg;rport');
    send(invite);
    await until(() => inbox.some((m) => m.kind === 'response' && m.status === 100));
    send(invite);
    send(invite);
    await until(() => inbox.length === 3);
    expect(invites).toBe(1);
    expect(inbox.every((m) => m.kind === 'response' && m.status === 100)).toBe(true);
  });
});
