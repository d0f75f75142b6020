import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildResponse } from '../message/build-response';
import { serializeMessage } from '../message/serialize-message';
import { createRequest, type SipMessage, type SipRequest } from '../message/sip-message';
import { createTcpTransport, type TcpTransport, type TcpTransportOptions } from './tcp-transport';
import type { SipConnection } from './transport';

let transport: TcpTransport;
let port: number;
const sockets: Socket[] = [];
const received: { message: SipMessage; connection: SipConnection }[] = [];
const limits: string[] = [];

const request = (branch: string, extra = '', body = '') =>
  [
    `OPTIONS sip:switchboard.local SIP/2.0`,
    `Via: SIP/2.0/TCP phone.invalid;branch=z9hG4bK${branch}`,
    'From: <sip:agent2@switchboard.local>;tag=f1',
    'To: <sip:switchboard.local>',
    'Call-ID: tcp-test',
    'CSeq: 1 OPTIONS',
    ...(extra === '' ? [] : [extra]),
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

async function start(options: TcpTransportOptions = {}): Promise<void> {
  transport = createTcpTransport({ onLimit: (_a, sentence) => limits.push(sentence), ...options });
  ({ port } = await transport.listen(0, '127.0.0.1'));
  transport.onMessage((message, connection) => received.push({ message, connection }));
}

/** A client socket with everything it receives as text, and whether it was closed. */
async function client() {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const state = { text: '', ended: false, socket };
  socket.on('data', (data) => (state.text += data.toString('utf8')));
  socket.on('close', () => (state.ended = true));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return state;
}

beforeEach(() => start());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  received.length = 0;
  limits.length = 0;
  await transport.close();
});

describe('TCP transport', () => {
  it('frames pipelined and split messages by Content-Length, stamping received', async () => {
    const phone = await client();
    const [a, b] = [request('a', '', 'one'), request('b', '', 'two two')];
    const both = Buffer.from(a + b);
    phone.socket.write(both.subarray(0, 17));
    await new Promise((r) => setTimeout(r, 20));
    phone.socket.write(both.subarray(17));
    await until(() => received.length === 2);
    expect(received.map((r) => r.message.body)).toEqual(['one', 'two two']);
    expect(received[0]?.message.headers.get('via')).toContain('received=127.0.0.1');
    expect(received[0]?.connection).toBe(received[1]?.connection);
    expect(received[0]?.connection).toMatchObject({ transport: 'tcp', reliable: true, localPort: port });
  });

  it('answers on the same connection (connection reuse) and a double CRLF with one CRLF', async () => {
    const phone = await client();
    phone.socket.write(`\r\n\r\n${request('c')}`);
    await until(() => received.length === 1);
    const { message, connection } = received[0] ?? {};
    connection?.send(serializeMessage(buildResponse(message as SipRequest, 200, 'OK')));
    await until(() => phone.text.includes('SIP/2.0 200 OK'));
    expect(phone.text.startsWith('\r\nSIP/2.0 200 OK')).toBe(true);
  });

  it('answers a request without Content-Length with 400 and closes (framing is lost)', async () => {
    const phone = await client();
    phone.socket.write(request('d').replace('Content-Length: 0\r\n', ''));
    await until(() => phone.ended);
    expect(phone.text).toMatch(/^SIP\/2\.0 400 Missing Content-Length/);
    expect(received).toHaveLength(0);
  });

  it('tells the edge when a connection closes', async () => {
    const phone = await client();
    phone.socket.write(request('e'));
    await until(() => received.length === 1);
    const connection = received[0]?.connection;
    let closed = false;
    connection?.onClose(() => (closed = true));
    phone.socket.end();
    await until(() => closed);
    expect(connection?.closed).toBe(true);
    expect(transport.connections.size).toBe(0);
  });

  it('holds at most N unauthenticated connections per address, and drops a silent one', async () => {
    await transport.close();
    await start({ maxUnauthenticatedPerAddress: 2, unauthenticatedIdleMs: 150 });
    const [a, b] = [await client(), await client()];
    const third = await client();
    await until(() => third.ended);
    expect(limits[0]).toContain('already holds 2');
    await until(() => a.ended && b.ended, 1000);
  });

  it("opens a connection to a peer once and reuses it; the peer's answers come back on it", async () => {
    const accepted: Socket[] = [];
    const peer = createServer((socket) => {
      accepted.push(socket);
      sockets.push(socket);
      socket.on('data', () => socket.write(serializeMessage(buildResponse(sent, 200, 'OK'))));
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const peerPort = (peer.address() as AddressInfo).port;
    const sent = createRequest('OPTIONS', 'sip:carrier', [
      ['Via', 'SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKk'],
      ['From', '<sip:edge@switchboard.local>;tag=e'],
      ['To', '<sip:carrier>'],
      ['Call-ID', 'out'],
      ['CSeq', '1 OPTIONS'],
    ]);
    const [a, b] = await Promise.all([
      transport.connectTo('127.0.0.1', peerPort),
      transport.connectTo('127.0.0.1', peerPort),
    ]);
    expect(a).toBe(b);
    expect(await transport.connectTo('127.0.0.1', peerPort)).toBe(a);
    expect(a.send(serializeMessage(sent))).toBe(true);
    await until(() => received.length === 1);
    expect(received[0]?.connection).toBe(a);
    expect(accepted).toHaveLength(1);
    await expect(transport.connectTo('127.0.0.1', 1)).rejects.toThrow();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => peer.close(() => resolve()));
  });
});
