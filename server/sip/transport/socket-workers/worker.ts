// A socket worker (a child process of the server, see socket-workers.ts): it finishes the
// WebSocket upgrades the edge hands it, then owns those sockets. It pings the peers (RFC 6455),
// drops those that stop answering, and relays each SIP message whole, in both directions, in
// batches (frame-batch.ts). It knows nothing of SIP.
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { closeWebSocket, keepAliveRound, sendWithin, sipWebSocketServer, toBytes } from '../websocket-frames';
import { FrameBatch } from './frame-batch';
import { FrameReader } from './frame-codec';
import {
  DATA_FD,
  In,
  Out,
  type Adopt,
  type FromWorker,
  type ToWorker,
  type WorkerSettings,
} from './protocol';

const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;

/**
 * One adopted connection. Its ws listeners are the functions below, shared by every connection
 * (ws calls them on the socket, which carries its entry): tens of thousands of connections had
 * five closures each.
 */
interface Held {
  readonly slot: number;
  readonly ws: WebSocket;
  /** Keep-alive rounds since the peer last sent anything (a pong or a message). */
  silentRounds: number;
  /** Each send's callback: one per connection, not a closure per message. */
  readonly sent: (error?: Error | null) => void;
}

const HELD = Symbol('held');
type HeldSocket = WebSocket & { [HELD]: Held };

function entryOf(ws: WebSocket): Held {
  return (ws as HeldSocket)[HELD];
}

const held = new Map<number, Held>();
const server = sipWebSocketServer(settings.maxPayloadBytes);

const data = new Socket({ fd: DATA_FD, readable: true, writable: true });
/** What is reported to the edge, batched (frame-batch.ts). */
const toEdge = new FrameBatch((bytes) => data.write(bytes));

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  const entry = entryOf(this);
  // Frames still arriving after the edge closed the connection (a flood) are not relayed.
  if (this.readyState !== WebSocket.OPEN) return;
  entry.silentRounds = 0;
  // Relayed as the bytes came (ws has checked a text frame's UTF-8). RFC 5626 CRLF pings too:
  // the edge answers them, so a phone hears the pong only while the edge itself is alive.
  toEdge.push(isBinary ? In.Binary : In.Text, entry.slot, toBytes(data));
}

function onPong(this: WebSocket): void {
  entryOf(this).silentRounds = 0;
}

function onError(this: WebSocket, error: Error): void {
  toEdge.push(In.Error, entryOf(this).slot, error.message);
}

function onClose(this: WebSocket): void {
  const { slot } = entryOf(this);
  held.delete(slot);
  toEdge.push(In.Closed, slot);
}

/**
 * A connection's send callback: a failed send is reported. Returned unnamed on purpose: tsx
 * (esbuild's keepNames) defines the name of a closure written as `sent: (error) => …`, and V8
 * then keeps that closure's properties in a dictionary, 256 bytes more per connection (a heap
 * snapshot of the worker with 4 000 connections).
 */
function reportSendError(slot: number): (error?: Error | null) => void {
  return (error) => {
    if (error) toEdge.push(In.Error, slot, error.message);
  };
}

function opened(slot: number, ws: WebSocket): void {
  const entry: Held = { slot, ws, silentRounds: 0, sent: reportSendError(slot) };
  held.set(slot, entry);
  (ws as HeldSocket)[HELD] = entry;
  ws.on('message', onMessage);
  ws.on('pong', onPong);
  ws.on('error', onError);
  ws.on('close', onClose);
  toEdge.push(In.Opened, slot);
}

function adopt(message: Adopt, socket: Socket | undefined): void {
  const { slot } = message;
  if (!socket) {
    // The socket went between the edge's hand and ours.
    toEdge.push(In.Closed, slot);
    return;
  }
  let upgraded = false;
  // A refused handshake (ws answers 4xx and destroys the socket) never reaches the callback.
  socket.once('close', () => {
    if (!upgraded) toEdge.push(In.Closed, slot);
  });
  const request = { method: message.method, url: message.url, headers: message.headers, socket };
  server.handleUpgrade(
    request as unknown as IncomingMessage,
    socket,
    Buffer.from(message.head, 'base64'),
    (ws) => {
      upgraded = true;
      opened(slot, ws);
    },
  );
}

function send(slot: number, payload: Buffer, frame: 'text' | 'binary'): void {
  const entry = held.get(slot);
  if (entry) sendWithin(entry.ws, payload, settings.maxBufferedBytes, entry.sent, frame);
}

function close(slot: number, reason?: string): void {
  const entry = held.get(slot);
  if (entry) closeWebSocket(entry.ws, reason);
}

const fromEdge = new FrameReader((kind, slot, bytes, start, end) => {
  // A text message goes out as the UTF-8 bytes it came as (not decoded here to be encoded again
  // by ws), copied: ws holds what a slow reader has not taken yet, and a view would keep the whole
  // pipe chunk it came in (up to 64 KB, the answers to other phones) alive for it, uncounted by
  // maxBufferedBytes.
  if (kind === Out.Text) send(slot, Buffer.from(bytes.subarray(start, end)), 'text');
  else if (kind === Out.Binary) send(slot, Buffer.from(bytes.subarray(start, end)), 'binary');
  else if (kind === Out.Close) close(slot);
  else close(slot, bytes.toString('utf8', start, end));
});
data.on('data', (chunk: Buffer) => fromEdge.feed(chunk));

process.on('message', (message: ToWorker, socket?: Socket) => {
  if (message.kind === 'adopt') adopt(message, socket);
  else {
    for (const { ws } of held.values()) {
      ws.close(1001);
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  }
});

// RFC 6455 pings, as the in-process transport sends them (see websocket-transport.ts).
if (settings.keepAliveMs > 0) {
  setInterval(() => {
    for (const [slot, entry] of held) {
      try {
        keepAliveRound(entry, entry.ws);
      } catch (error) {
        toEdge.push(In.Error, slot, error instanceof Error ? error.message : String(error));
      }
    }
  }, settings.keepAliveMs / 3).unref();
}

// The edge went (it stopped or died): its sockets go with it.
process.on('disconnect', () => process.exit(0));
data.on('error', () => process.exit(0));
process.send?.({ kind: 'ready' } satisfies FromWorker);
