import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { buildResponse } from '../message/build-response';
import { parseMessage, type ParseOptions } from '../message/parse-message';
import { serializeMessage } from '../message/serialize-message';
import { StreamFramer } from './stream-framer';
import { stampTopVia } from './stamp-via';
import type { SipConnection, SipTransport } from './transport';
import { CountedConnection } from './counted-connection';
import { TransportListeners } from './transport-listeners';
import { opaqueId } from '../message/random-pool';

export interface TcpTransportOptions {
  /** Largest message; a larger one closes that connection (after a 513 when possible). */
  maxMessageBytes?: number;
  /** Unsent bytes allowed to pile up for a slow reader before it is disconnected. */
  maxBufferedBytes?: number;
  /** Connections one address may hold before they authenticate; more are closed at once. */
  maxUnauthenticatedPerAddress?: number;
  /** A connection that has not authenticated is closed after this long without a message. */
  unauthenticatedIdleMs?: number;
  /** A connection was refused for that limit: the address and a sentence for the log. */
  onLimit?: (address: string, sentence: string) => void;
  parse?: ParseOptions;
  onError?: (error: unknown, connection: SipConnection | null) => void;
}

export interface TcpTransport extends SipTransport {
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * A connection to a peer the edge sends to first (a trunk, RFC 3261 18.1.1): an open one to
   * that address and port is reused, otherwise one is opened. Rejects when it cannot connect.
   */
  connectTo(host: string, port: number): Promise<SipConnection>;
  readonly connections: ReadonlyMap<string, SipConnection>;
  close(): Promise<void>;
}

class TcpConnection extends CountedConnection implements SipConnection {
  readonly transport = 'tcp' as const;
  readonly reliable = true;
  readonly id = opaqueId('tcp-');
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(
    private readonly socket: Socket,
    private readonly maxBufferedBytes: number,
    reportError: (error: unknown) => void,
    uncount: () => void,
  ) {
    super(reportError, uncount);
    this.remoteAddress = plainAddress(socket.remoteAddress);
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = plainAddress(socket.localAddress);
    this.localPort = socket.localPort ?? 0;
  }

  get closed(): boolean {
    return this.socket.destroyed || !this.socket.writable;
  }

  send(message: string | Buffer): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength > this.maxBufferedBytes) {
      this.socket.destroy();
      return false;
    }
    this.socket.write(message, (error) => {
      if (error) this.reportError(error);
    });
    return true;
  }

  close(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }
}

function plainAddress(address: string | undefined): string {
  if (address === undefined) return '0.0.0.0';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * SIP over TCP (RFC 3261 18): messages framed by Content-Length, responses on the connection the
 * request came on, requests to a phone on the connection it registered over (connection reuse).
 */
export function createTcpTransport(options: TcpTransportOptions = {}): TcpTransport {
  const maxMessageBytes = options.maxMessageBytes ?? 64 * 1024;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const maxUnauthenticated = options.maxUnauthenticatedPerAddress ?? 32;
  const idleMs = options.unauthenticatedIdleMs ?? 30_000;
  const onLimit = options.onLimit ?? (() => {});
  const onError = options.onError ?? (() => {});
  const parseOptions: ParseOptions = {
    ...options.parse,
    requireContentLength: true,
    extraBodyBytes: 'reject',
    limits: { maxMessageBytes, ...options.parse?.limits },
  };
  const listeners = new TransportListeners(onError);
  const connections = new Map<string, TcpConnection>();
  const sockets = new Set<Socket>();
  const unauthenticated = new Map<string, number>();
  let server: Server | null = null;

  function countUnauthenticated(address: string, delta: 1 | -1): void {
    const count = (unauthenticated.get(address) ?? 0) + delta;
    if (count > 0) unauthenticated.set(address, count);
    else unauthenticated.delete(address);
  }

  function deliver(connection: TcpConnection, bytes: Buffer): void {
    const result = parseMessage(bytes, parseOptions);
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

  /** The stream cannot be framed: answer what can be answered, then close. */
  function fail(connection: TcpConnection, reason: string, status: 400 | 513, head: string | null): void {
    const parsed = head === null ? null : parseMessage(`${head}\r\n\r\n`);
    const request = parsed?.ok && parsed.message.kind === 'request' ? parsed.message : null;
    if (request && request.method !== 'ACK') {
      connection.send(serializeMessage(buildResponse(request, status, reason)));
    }
    connection.close();
  }

  /** Open connections the edge made, by `host|port` as asked. */
  const outbound = new Map<string, Promise<TcpConnection>>();

  function accept(socket: Socket): void {
    const address = plainAddress(socket.remoteAddress);
    socket.on('error', (error) => onError(error, null));
    if ((unauthenticated.get(address) ?? 0) >= maxUnauthenticated) {
      onLimit(
        address,
        `refused a SIP TCP connection from ${address}, which already holds ${maxUnauthenticated} that have not signed in`,
      );
      socket.destroy();
      return;
    }
    adopt(socket, false);
  }

  function adopt(socket: Socket, ours: boolean): TcpConnection {
    const address = plainAddress(socket.remoteAddress);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const connection = new TcpConnection(
      socket,
      maxBuffered,
      (error) => onError(error, connection),
      () => countUnauthenticated(address, -1),
    );
    countUnauthenticated(address, 1);
    // A connection the edge opened is trusted as far as the peer it chose to call.
    if (ours) connection.markAuthenticated();
    connections.set(connection.id, connection);
    sockets.add(socket);
    const framer = new StreamFramer(maxMessageBytes);
    // Before it signs in, a connection that says nothing for a while is let go (no idle hoarding).
    socket.setTimeout(idleMs, () => {
      if (!connection.authenticated) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of framer.push(chunk)) {
          if (frame.kind === 'ping') connection.send('\r\n');
          else if (frame.kind === 'message') deliver(connection, frame.bytes);
          else fail(connection, frame.reason, frame.status, frame.head);
          if (connection.closed) break;
        }
      } catch (error) {
        onError(error, connection);
      }
    });
    socket.on('close', () => {
      connection.stopCounting();
      connections.delete(connection.id);
      sockets.delete(socket);
      connection.closedNow();
    });
    listeners.connection(connection);
    return connection;
  }

  function open(host: string, port: number): Promise<TcpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', (error) => onError(error, null));
        resolve(adopt(socket, true));
      });
    });
  }

  return {
    connections,
    listen(port, host) {
      const listening = createServer({ noDelay: true }, accept);
      return new Promise<AddressInfo>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => {
          listening.off('error', reject);
          listening.on('error', (error) => onError(error, null));
          server = listening;
          resolve(listening.address() as AddressInfo);
        });
      });
    },
    async connectTo(host, port) {
      const key = `${host}|${port}`;
      const known = outbound.get(key);
      const existing = known ? await known.catch(() => null) : null;
      if (existing && !existing.closed) return existing;
      const opening = open(host, port);
      outbound.set(key, opening);
      opening.then(
        (connection) => connection.onClose(() => outbound.get(key) === opening && outbound.delete(key)),
        () => outbound.get(key) === opening && outbound.delete(key),
      );
      return opening;
    },
    ...listeners.subscriptions,
    close() {
      const open = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      if (!open) return Promise.resolve();
      return new Promise<void>((resolve) => open.close(() => resolve()));
    },
  };
}
