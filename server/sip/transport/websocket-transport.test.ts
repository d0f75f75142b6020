import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildResponse } from '../message/build-response';
import { parseMessage, type SipParseError } from '../message/parse-message';
import { jsSipInvite, sipJsRegister } from '../message/sample-messages.fixture';
import { serializeMessage } from '../message/serialize-message';
import type { SipMessage } from '../message/sip-message';
import { TransactionLayer } from '../transaction/transaction-layer';
import type { SipConnection } from './transport';
import {
  createWebSocketTransport,
  type WebSocketTransport,
  type WebSocketTransportOptions,
} from './websocket-transport';

interface Harness {
  transport: WebSocketTransport;
  url: string;
  received: Array<{ message: SipMessage; connection: SipConnection }>;
  malformed: SipParseError[];
  errors: unknown[];
}

let http: Server;
let harness: Harness;
const clients: WebSocket[] = [];
/** Every test runs twice: sockets in this process, and sockets held by a worker process. */
let workers = 0;

async function start(options: WebSocketTransportOptions = {}): Promise<Harness> {
  const errors: unknown[] = [];
  const transport = createWebSocketTransport({
    onError: (error) => errors.push(error),
    workers,
    ...options,
  });
  // Until a worker is ready the transport serves in this process: these tests want the worker.
  await transport.startWorkers();
  http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => transport.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const received: Harness['received'] = [];
  const malformed: SipParseError[] = [];
  transport.onMessage((message, connection) => received.push({ message, connection }));
  transport.onMalformed((error) => malformed.push(error));
  return { transport, url: `ws://127.0.0.1:${port}`, received, malformed, errors };
}

/** A client that queues what it receives, so nothing is missed between awaits. */
function connect(
  url: string,
  protocols: string | string[] = 'sip',
  options: ConstructorParameters<typeof WebSocket>[2] = {},
) {
  const ws = new WebSocket(url, protocols, options);
  clients.push(ws);
  const inbox: string[] = [];
  const waiters: Array<(text: string) => void> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else inbox.push(text);
  });
  const next = (): Promise<string> => {
    const queued = inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, next, opened, closed };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await harness.transport.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe.each([
  { mode: 'sockets in this process', count: 0 },
  { mode: 'sockets held by a worker process', count: 1 },
])('WebSocket SIP transport, $mode', ({ count }) => {
  beforeEach(async () => {
    workers = count;
    harness = await start();
  });

  it('echoes the sip subprotocol and delivers a REGISTER with its connection', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    expect(client.ws.protocol).toBe('sip');
    client.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1);
    const { message, connection } = harness.received[0] ?? {};
    expect(message?.kind === 'request' && message.method).toBe('REGISTER');
    expect(connection).toMatchObject({
      transport: 'ws',
      reliable: true,
      remoteAddress: '127.0.0.1',
      closed: false,
    });
    expect(harness.transport.connections.get(connection?.id ?? '')).toBe(connection);
  });

  it('stamps received (and rport when asked) on the top Via', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    client.ws.send(sipJsRegister.replace(';branch=z9hG4bK1306153', ';rport;branch=z9hG4bK1306153'));
    await until(() => harness.received.length === 1);
    const { message, connection } = harness.received[0] ?? {};
    expect(message?.headers.get('via')).toBe(
      `SIP/2.0/WSS 4jg8dmoqnu8d.invalid;rport=${connection?.remotePort};branch=z9hG4bK1306153;received=127.0.0.1`,
    );
  });

  it('sends replies on the connection', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    client.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1);
    const { message, connection } = harness.received[0] ?? {};
    if (message?.kind !== 'request' || !connection) throw new Error('expected a request');
    expect(connection.send(serializeMessage(buildResponse(message, 200, 'OK')))).toBe(true);
    const reply = parseMessage(await client.next());
    expect(reply.ok && reply.message.kind === 'response' && reply.message.status).toBe(200);
  });

  it('refuses a connection without the sip subprotocol', async () => {
    await expect(connect(harness.url + '/sip', []).opened).rejects.toThrow('HTTP 400');
    await expect(connect(harness.url + '/sip', 'chat').opened).rejects.toThrow('HTTP 400');
    expect(harness.transport.connections.size).toBe(0);
  });

  it('refuses other paths', async () => {
    await expect(connect(harness.url + '/other').opened).rejects.toThrow('HTTP 404');
  });

  it('answers a malformed but answerable request with 400 and keeps the connection', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    client.ws.send(jsSipInvite.replace(/Content-Length: \d+/, 'Content-Length: 5'));
    const reply = parseMessage(await client.next());
    if (!reply.ok || reply.message.kind !== 'response') throw new Error('expected a response');
    expect([reply.message.status, reply.message.reason]).toEqual([400, 'Content-Length mismatch']);
    expect(reply.message.headers.get('call-id')).toBe('6gtdmrqbc9rc1mj7ghjcnk');
    expect(harness.malformed).toHaveLength(1);
    client.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('drops garbage silently, and other connections never notice', async () => {
    const bad = connect(harness.url + '/sip');
    const good = connect(harness.url + '/sip');
    await Promise.all([bad.opened, good.opened]);
    bad.ws.send(Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]));
    bad.ws.send('SIP/2.0 200');
    bad.ws.send('INVITE sip:x SIP/2.0\r\nVia: ');
    good.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1 && harness.malformed.length === 3);
    expect(bad.ws.readyState).toBe(WebSocket.OPEN);
    expect(harness.errors).toEqual([]);
  });

  it('closes only the connection that sends an oversized message', async () => {
    await harness.transport.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    harness = await start({ maxPayloadBytes: 4096 });
    const big = connect(harness.url + '/sip');
    const good = connect(harness.url + '/sip');
    await Promise.all([big.opened, good.opened]);
    big.ws.send(sipJsRegister + 'x'.repeat(5000));
    expect(await big.closed).toBe(1009);
    good.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1);
    expect(harness.transport.connections.size).toBe(1);
  });

  it('answers a CRLF keep-alive with a CRLF', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    client.ws.send('\r\n\r\n');
    expect(await client.next()).toBe('\r\n');
    expect(harness.received).toHaveLength(0);
    expect(harness.malformed).toHaveLength(0);
  });

  it('survives a listener that throws', async () => {
    harness.transport.onMessage(() => {
      throw new Error('listener bug');
    });
    const client = connect(harness.url + '/sip');
    await client.opened;
    client.ws.send(sipJsRegister);
    client.ws.send(sipJsRegister.replace('CSeq: 2', 'CSeq: 3'));
    await until(() => harness.received.length === 2);
    expect(harness.errors).toHaveLength(2);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('tells close listeners and forgets the connection when the client goes', async () => {
    const seen: SipConnection[] = [];
    harness.transport.onConnection((connection) => seen.push(connection));
    const client = connect(harness.url + '/sip');
    await client.opened;
    await until(() => seen.length === 1);
    const connection = seen[0];
    if (!connection) throw new Error('expected a connection');
    let closed = false;
    connection.onClose(() => {
      closed = true;
    });
    client.ws.close();
    await until(() => closed);
    expect(connection.closed).toBe(true);
    expect(connection.send('x')).toBe(false);
    expect(harness.transport.connections.size).toBe(0);
  });

  it('drops a connection that stops answering pings', async () => {
    await harness.transport.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    harness = await start({ keepAliveMs: 300 });
    const silent = connect(harness.url + '/sip', 'sip', { autoPong: false });
    const lively = connect(harness.url + '/sip');
    await Promise.all([silent.opened, lively.opened]);
    const opened = Date.now();
    expect(await silent.closed).toBe(1006);
    // Pinged every 100 ms, dropped once two pings went unanswered: within keepAliveMs of last
    // being heard (here: the handshake), with slack for a busy machine.
    expect(Date.now() - opened).toBeLessThan(300 + 200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lively.ws.readyState).toBe(WebSocket.OPEN);
    expect(harness.transport.connections.size).toBe(1);
  });

  it('keeps serving many connections while each sends a burst of malformed frames', async () => {
    const peers = Array.from({ length: 10 }, () => connect(harness.url + '/sip'));
    await Promise.all(peers.map((p) => p.opened));
    for (const [i, peer] of peers.entries()) {
      for (let n = 0; n < 50; n++) peer.ws.send(sipJsRegister.slice(0, (n * 37 + i) % sipJsRegister.length));
      peer.ws.send(sipJsRegister);
    }
    await until(() => harness.received.length >= 10);
    expect(harness.transport.connections.size).toBe(10);
    expect(harness.errors).toEqual([]);
  });

  it('refuses upgrades (429) from an address holding too many connections that have not authenticated', async () => {
    await harness.transport.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    const limits: string[] = [];
    harness = await start({
      maxUnauthenticatedPerAddress: 2,
      onLimit: (address, sentence) => limits.push(`${address}: ${sentence}`),
    });
    const seen: SipConnection[] = [];
    harness.transport.onConnection((connection) => seen.push(connection));
    const first = connect(harness.url + '/sip');
    const second = connect(harness.url + '/sip');
    await Promise.all([first.opened, second.opened]);
    await expect(connect(harness.url + '/sip').opened).rejects.toThrow('HTTP 429');
    await expect(connect(harness.url + '/sip').opened).rejects.toThrow('HTTP 429');
    expect(limits).toEqual([
      '127.0.0.1: refused a SIP WebSocket from 127.0.0.1, which already holds 2 that have not signed in (HTTP 429)',
      '127.0.0.1: refused a SIP WebSocket from 127.0.0.1, which already holds 2 that have not signed in (HTTP 429)',
    ]);
    // Another address is not affected.
    await connect(harness.url + '/sip', 'sip', { localAddress: '127.0.0.2' }).opened;

    // One that authenticates no longer counts; nor does one that closes.
    seen[0]?.markAuthenticated();
    await connect(harness.url + '/sip').opened;
    await expect(connect(harness.url + '/sip').opened).rejects.toThrow('HTTP 429');
    second.ws.close();
    await second.closed;
    await until(() => harness.transport.connections.size === 3);
    // A REGISTER that finishes after its connection closed does not count it out twice.
    seen[1]?.markAuthenticated();
    await connect(harness.url + '/sip').opened;
    expect(harness.transport.connections.size).toBe(4);
    await expect(connect(harness.url + '/sip').opened).rejects.toThrow('HTTP 429');
    expect(limits).toHaveLength(4);
  });

  it('closes a connection for a policy violation with 1008 and the sentence', async () => {
    const seen: SipConnection[] = [];
    harness.transport.onConnection((connection) => seen.push(connection));
    const client = connect(harness.url + '/sip');
    const reason = new Promise<string>((resolve) =>
      client.ws.once('close', (_code, why) => resolve(why.toString())),
    );
    await client.opened;
    await until(() => seen.length === 1);
    seen[0]?.close('Too many requests before authentication (16 transactions per connection)');
    expect(await client.closed).toBe(1008);
    expect(await reason).toBe('Too many requests before authentication (16 transactions per connection)');
  });

  it('carries a transaction layer: responses go back on the connection, retransmissions absorbed', async () => {
    const layer = new TransactionLayer({ onError: (error) => harness.errors.push(error) });
    layer.attach(harness.transport);
    let requests = 0;
    layer.onRequest((request, { transaction }) => {
      requests++;
      if (transaction) layer.respond(transaction, buildResponse(request, 200, 'OK'));
    });
    const client = connect(harness.url + '/sip');
    await client.opened;
    const options = sipJsRegister.replace(/REGISTER/g, 'OPTIONS').replace(/Authorization: .*\r\n/, '');
    client.ws.send(options);
    const reply = parseMessage(await client.next());
    expect(reply.ok && reply.message.kind === 'response' && reply.message.status).toBe(200);
    expect(requests).toBe(1);
    expect(harness.errors).toEqual([]);
  });
});

/** The socket workers this test process started (children running the worker's file). */
function workerPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return (
          parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('socket-workers')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('WebSocket SIP transport with a socket worker', () => {
  beforeEach(async () => {
    workers = 1;
    harness = await start();
  });

  it('closes the connections of a worker that dies and serves new ones from its successor', async () => {
    const troubles: string[] = [];
    await harness.transport.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    harness = await start({ onWorkerTrouble: (sentence) => troubles.push(sentence) });
    const seen: SipConnection[] = [];
    harness.transport.onConnection((connection) => seen.push(connection));
    const first = connect(harness.url + '/sip');
    const second = connect(harness.url + '/sip');
    await Promise.all([first.opened, second.opened]);
    await until(() => seen.length === 2);
    let told = 0;
    for (const connection of seen) connection.onClose(() => told++);

    const [pid, ...others] = workerPids();
    expect(pid).toBeDefined();
    expect(others).toEqual([]);
    process.kill(pid ?? 0, 'SIGKILL');
    expect(await first.closed).toBe(1006);
    expect(await second.closed).toBe(1006);
    await until(() => told === 2);
    expect(seen.every((connection) => connection.closed && !connection.send('x'))).toBe(true);
    expect(harness.transport.connections.size).toBe(0);
    expect(troubles).toEqual([
      'A SIP socket worker stopped (signal SIGKILL); its 2 connections closed, starting another.',
    ]);

    // Its successor takes the next connection (in-process until it is ready), which works both ways.
    await until(() => workerPids().length === 1 && workerPids()[0] !== pid, 5000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const third = connect(harness.url + '/sip');
    await third.opened;
    await until(() => harness.received.length === 0 && seen.length === 3);
    third.ws.send(sipJsRegister);
    await until(() => harness.received.length === 1);
    const { message, connection } = harness.received[0] ?? {};
    if (message?.kind !== 'request' || !connection) throw new Error('expected the REGISTER');
    connection.send(serializeMessage(buildResponse(message, 200, 'OK')));
    expect(await third.next()).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    // It was the successor's: it goes with it.
    process.kill(workerPids()[0] ?? 0, 'SIGKILL');
    expect(await third.closed).toBe(1006);
  });

  it('delivers the first message of every one of many connections opened at once', async () => {
    // Sockets are handed to the worker one send at a time, each waiting for the last one's
    // acknowledgement, and each client sends the moment its handshake is answered: while the
    // hand-overs queue up, both processes hold those sockets, and only the worker may read them.
    const total = 400;
    await harness.transport.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    harness = await start({ maxUnauthenticatedPerAddress: total });
    const pending = Array.from({ length: total }, () => {
      const client = connect(harness.url + '/sip');
      client.ws.once('open', () =>
        client.ws.send(sipJsRegister.replace('Call-ID: ', `Call-ID: burst${clients.indexOf(client.ws)}-`)),
      );
      return client.opened;
    });
    await Promise.all(pending);
    await until(() => harness.received.length === total, 10_000);
    const callIds = new Set(harness.received.map(({ message }) => message.headers.get('call-id')));
    expect(callIds.size).toBe(total);
  }, 30_000);

  it("keeps the order of a connection's messages both ways across the pipe's several writes of a batch", async () => {
    // More than FRAMES_PER_WRITE at once in each direction: each batch crosses in several writes.
    const total = 30;
    const client = connect(harness.url + '/sip');
    await client.opened;
    for (let i = 0; i < total; i++) client.ws.send(sipJsRegister.replace('CSeq: 2 ', `CSeq: ${i + 1} `));
    await until(() => harness.received.length === total);
    expect(harness.received.map(({ message }) => message.headers.get('cseq'))).toEqual(
      Array.from({ length: total }, (_, i) => `${i + 1} REGISTER`),
    );
    for (const { message, connection } of harness.received) {
      if (message.kind !== 'request') throw new Error('expected the REGISTERs');
      connection.send(serializeMessage(buildResponse(message, 200, 'OK')));
    }
    const answers = await Promise.all(Array.from({ length: total }, () => client.next()));
    expect(answers.map((text) => /\r\nCSeq: (\d+) REGISTER\r\n/.exec(text)?.[1])).toEqual(
      Array.from({ length: total }, (_, i) => String(i + 1)),
    );
  });

  it('stops its workers with the transport', async () => {
    const client = connect(harness.url + '/sip');
    await client.opened;
    expect(workerPids()).toHaveLength(1);
    await harness.transport.close();
    expect(await client.closed).toBe(1001);
    await until(() => workerPids().length === 0);
    // afterEach closes it again: a second close is harmless.
  });
});
