import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { WebSocket, type RawData } from 'ws';
import { buildResponse } from '../message/build-response';
import { parseMessage, type ParseOptions } from '../message/parse-message';
import { serializeMessage } from '../message/serialize-message';
import { stampTopVia } from './stamp-via';
import type { SipConnection, SipTransport, TransportName } from './transport';
import { CountedConnection } from './counted-connection';
import { TransportListeners } from './transport-listeners';
import { opaqueId } from '../message/random-pool';
import { SocketWorkers } from './socket-workers/socket-workers';
import { WorkerConnection } from './socket-workers/worker-connection';
import {
  closeWebSocket,
  framePayload,
  isCrlfPing,
  keepAliveRound,
  sendWithin,
  sipWebSocketServer,
  SUBPROTOCOL,
} from './websocket-frames';

export interface WebSocketTransportOptions {
  /** The HTTP path SIP is served on (RFC 7118 leaves it to us). */
  path?: string;
  /** Largest WebSocket message; larger ones close that connection (1009). */
  maxPayloadBytes?: number;
  /**
   * A connection the edge hears nothing from (no pong, no message) for this long is dropped;
   * it is pinged every third of it, so each ping has two thirds of it to be answered.
   * 0 disables. Default 30 000.
   */
  keepAliveMs?: number;
  /** Unsent bytes allowed to pile up for a slow reader before it is disconnected. */
  maxBufferedBytes?: number;
  /**
   * Connections one remote address may hold open before they authenticate (default 32);
   * further upgrades from it are refused with HTTP 429 until one authenticates or closes.
   */
  maxUnauthenticatedPerAddress?: number;
  /** An upgrade was refused for that limit: the address and a sentence for the log. */
  onLimit?: (address: string, sentence: string) => void;
  /**
   * Child processes that own the sockets of plain (not TLS) SIP WebSockets: framing, pings and
   * the system calls run there, SIP here (socket-workers/). They start at startWorkers() or the
   * first upgrade; until one is ready, this process serves. 0 (default): all in this process.
   */
  workers?: number;
  /** A socket worker could not start, failed or stopped: a sentence for the log. */
  onWorkerTrouble?: (sentence: string) => void;
  parse?: ParseOptions;
  /** Errors from listeners and sockets; they never affect other connections. */
  onError?: (error: unknown, connection: SipConnection | null) => void;
}

export interface WebSocketTransport extends SipTransport {
  /** Give it the HTTP server's 'upgrade' events; it refuses wrong paths and subprotocols. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Starts the socket workers now rather than at the first upgrade (a server starting up);
   * until one is ready, WebSockets are served in this process. Resolves once each is ready or
   * has failed to start (then this process serves; the failure went to onWorkerTrouble).
   */
  startWorkers(): Promise<void>;
  readonly connections: ReadonlyMap<string, SipConnection>;
  close(): Promise<void>;
}

class WebSocketConnection extends CountedConnection implements SipConnection {
  readonly reliable = true;
  /** Keep-alive rounds since the peer last sent anything (a pong or a message). */
  silentRounds = 0;
  /** Each send's callback: one per connection, not a closure per message. */
  readonly #sent = (error?: Error | null): void => {
    if (error) this.reportError(error);
  };

  constructor(
    readonly id: string,
    readonly transport: TransportName,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
    reportError: (error: unknown) => void,
    uncount: () => void,
  ) {
    super(reportError, uncount);
  }

  get closed(): boolean {
    return this.socket.readyState !== WebSocket.OPEN;
  }

  send(text: string | Buffer): boolean {
    return sendWithin(this.socket, text, this.maxBufferedBytes, this.#sent);
  }

  close(reason?: string): void {
    closeWebSocket(this.socket, reason);
  }
}

function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header.split(',').map((p) => p.trim());
}

function refuse(socket: Duplex, status: string, sentence = ''): void {
  socket.on('error', () => {});
  socket.once('finish', () => socket.destroy());
  const body = sentence === '' ? '' : `${sentence}\n`;
  const type = body === '' ? '' : 'Content-Type: text/plain; charset=utf-8\r\n';
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function plainAddress(address: string | undefined): string {
  if (address === undefined) return '0.0.0.0';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function createWebSocketTransport(options: WebSocketTransportOptions = {}): WebSocketTransport {
  const path = options.path ?? '/sip';
  const maxPayload = options.maxPayloadBytes ?? 64 * 1024;
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const maxUnauthenticated = options.maxUnauthenticatedPerAddress ?? 32;
  const onLimit = options.onLimit ?? (() => {});
  const parseOptions: ParseOptions = {
    ...options.parse,
    limits: { maxMessageBytes: maxPayload, ...options.parse?.limits },
  };
  const onError = options.onError ?? (() => {});
  const listeners = new TransportListeners(onError);
  const connections = new Map<string, SipConnection>();
  const sockets = new Map<WebSocketConnection, WebSocket>();
  /** Open connections per remote address that have not authenticated yet. */
  const unauthenticated = new Map<string, number>();

  function countUnauthenticated(address: string, delta: 1 | -1): void {
    const count = (unauthenticated.get(address) ?? 0) + delta;
    if (count > 0) unauthenticated.set(address, count);
    else unauthenticated.delete(address);
  }

  const server = sipWebSocketServer(maxPayload);

  function receive(connection: WebSocketConnection, data: RawData, isBinary: boolean): void {
    // Frames still arriving after we closed the connection (a flood) are not even parsed.
    if (connection.closed) return;
    connection.silentRounds = 0;
    deliver(connection, framePayload(data, isBinary));
  }

  /**
   * One whole SIP message from a connection, whichever process holds its socket: a CRLF
   * keep-alive answered (here, so a phone hears the pong only while the SIP side is alive),
   * else parsed, answered 400 when malformed, and delivered.
   */
  function deliver(connection: SipConnection, payload: string | Buffer): void {
    // A double CRLF "ping" is answered with one CRLF "pong".
    if (isCrlfPing(payload)) {
      connection.send('\r\n');
      return;
    }
    const result = parseMessage(payload, parseOptions);
    if (!result.ok) {
      const { error } = result;
      if (error.canRespond && error.request && error.request.method !== 'ACK') {
        connection.send(serializeMessage(buildResponse(error.request, error.status, error.reason)));
      }
      listeners.malformed(error, connection);
      return;
    }
    const { message } = result;
    if (message.kind === 'request') stampTopVia(message, connection.remoteAddress, connection.remotePort);
    listeners.message(message, connection);
  }

  function accept(socket: WebSocket, request: IncomingMessage): void {
    const encrypted = 'encrypted' in request.socket && request.socket.encrypted === true;
    const address = plainAddress(request.socket.remoteAddress);
    const connection = new WebSocketConnection(
      opaqueId('ws-'),
      encrypted ? 'wss' : 'ws',
      address,
      request.socket.remotePort ?? 0,
      socket,
      maxBuffered,
      (error) => onError(error, connection),
      () => countUnauthenticated(address, -1),
    );
    countUnauthenticated(address, 1);
    connections.set(connection.id, connection);
    sockets.set(connection, socket);
    socket.on('message', (data, isBinary) => {
      try {
        receive(connection, data, isBinary);
      } catch (error) {
        onError(error, connection);
      }
    });
    socket.on('pong', () => {
      connection.silentRounds = 0;
    });
    socket.on('error', (error) => onError(error, connection));
    socket.on('close', () => {
      connection.stopCounting();
      connections.delete(connection.id);
      sockets.delete(connection);
      connection.closedNow();
    });
    listeners.connection(connection);
  }

  /** Connections whose sockets a worker holds, by the slot the workers know them by. */
  const bySlot = new Map<number, WorkerConnection>();
  const workers =
    (options.workers ?? 0) > 0
      ? new SocketWorkers(
          {
            count: options.workers ?? 0,
            maxPayloadBytes: maxPayload,
            keepAliveMs,
            maxBufferedBytes: maxBuffered,
          },
          {
            opened(slot) {
              const connection = bySlot.get(slot);
              if (connection) listeners.connection(connection);
            },
            message(slot, payload) {
              const connection = bySlot.get(slot);
              if (!connection || connection.closed) return;
              try {
                deliver(connection, payload);
              } catch (error) {
                onError(error, connection);
              }
            },
            closed(slot) {
              const connection = bySlot.get(slot);
              if (!connection) return;
              bySlot.delete(slot);
              connection.gone();
              connection.stopCounting();
              if (connections.delete(connection.id)) connection.closedNow();
            },
            error(slot, error) {
              onError(error, bySlot.get(slot) ?? null);
            },
            trouble: options.onWorkerTrouble ?? (() => {}),
          },
        )
      : null;

  /** Hands a plain WebSocket's socket to a worker; the connection is announced once it opens. */
  function handToWorker(pool: SocketWorkers, request: IncomingMessage, socket: Socket, head: Buffer): void {
    const address = plainAddress(socket.remoteAddress);
    const slot = pool.adopt(request, socket, head);
    const connection = new WorkerConnection(
      opaqueId('ws-'),
      'ws',
      address,
      socket.remotePort ?? 0,
      pool,
      slot,
      (error) => onError(error, connection),
      () => countUnauthenticated(address, -1),
    );
    // Held and counted from the hand-over, so upgrades racing the handshake cannot pass the
    // limit; announced to the listeners once the worker has finished the handshake.
    countUnauthenticated(address, 1);
    bySlot.set(slot, connection);
    connections.set(connection.id, connection);
  }

  // RFC 6455 pings: browsers answer them in their network stack, even for a background tab
  // whose scripts are throttled or a page whose main thread is busy. A frozen or sleeping
  // machine, or a socket that died without a close, stops answering: one that has answered
  // neither of the last two pings is terminated at the next round (at most keepAliveMs after
  // it was last heard), and its bindings go with it.
  const keepAlive =
    keepAliveMs > 0
      ? setInterval(() => {
          for (const [connection, socket] of sockets) {
            try {
              keepAliveRound(connection, socket);
            } catch (error) {
              onError(error, connection);
            }
          }
        }, keepAliveMs / 3)
      : null;
  keepAlive?.unref();

  return {
    connections,
    handleUpgrade(request, socket, head) {
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (url.pathname !== path) {
          refuse(socket, '404 Not Found');
          return;
        }
        // Without the `sip` subprotocol ws would still accept (handleProtocols only picks
        // one), so refuse here: a client that does not speak SIP gets nothing.
        if (!offeredSubprotocols(request).includes(SUBPROTOCOL)) {
          refuse(socket, '400 Bad Request');
          return;
        }
        // Refused before the handshake: an address cannot hold thousands of idle sockets.
        const address = plainAddress(request.socket.remoteAddress);
        if ((unauthenticated.get(address) ?? 0) >= maxUnauthenticated) {
          onLimit(
            address,
            `refused a SIP WebSocket from ${address}, which already holds ${maxUnauthenticated} ` +
              'that have not signed in (HTTP 429)',
          );
          refuse(
            socket,
            '429 Too Many Requests',
            'Too many SIP connections from your address have not signed in.',
          );
          return;
        }
        void workers?.start();
        if (workers?.ready && request.socket instanceof Socket && !(request.socket instanceof TLSSocket)) {
          handToWorker(workers, request, request.socket, head);
          return;
        }
        server.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
      } catch (error) {
        onError(error, null);
        refuse(socket, '500 Internal Server Error');
      }
    },
    startWorkers: () => workers?.start() ?? Promise.resolve(),
    ...listeners.subscriptions,
    close() {
      if (keepAlive) clearInterval(keepAlive);
      const closing = [...sockets.values()].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) {
              resolve();
              return;
            }
            socket.once('close', () => resolve());
            socket.close(1001);
            setTimeout(() => socket.terminate(), 1000).unref();
          }),
      );
      return Promise.all([...closing, workers?.stop()]).then(
        () => new Promise<void>((resolve) => server.close(() => resolve())),
      );
    },
  };
}
