import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { buildResponse } from '../message/build-response';
import { topViaOf } from '../message/message-fields';
import { parseMessage, type ParseOptions } from '../message/parse-message';
import { serializeMessage } from '../message/serialize-message';
import type { SipMessage } from '../message/sip-message';
import { CloseListeners } from './close-listeners';
import { LocalAddresses } from './local-address';
import { stampTopVia } from './stamp-via';
import type { SipConnection, SipTransport } from './transport';
import { TransportListeners } from './transport-listeners';

export interface UdpTransportOptions {
  parse?: ParseOptions;
  /** Errors from listeners and the socket; they never stop the transport. */
  onError?: (error: unknown, connection: SipConnection | null) => void;
}

export interface UdpTransport extends SipTransport {
  /** Binds the socket; rejects with the socket's error (EADDRINUSE, EACCES). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** The flow toward a remote address and port, for requests the edge starts (e.g. to a trunk). */
  flowTo(address: string, port: number): SipConnection;
  close(): Promise<void>;
}

/** The largest UDP payload over IPv4 (65 535 − 8 − 20). */
export const MAX_DATAGRAM_BYTES = 65_507;

/**
 * A UDP "connection": one remote address and port. It never closes by itself (UDP has no
 * connection to lose); the edge closes it when it drops the phone's last registration.
 */
class UdpFlow implements SipConnection {
  readonly transport = 'udp' as const;
  readonly reliable = false;
  #authenticated = false;
  #closed = false;
  readonly #closeListeners = new CloseListeners((error) => this.reportError(error));

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly localAddress: string,
    readonly localPort: number,
    private readonly socket: Socket,
    private readonly reportError: (error: unknown) => void,
    private readonly forget: (flow: UdpFlow) => void,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  markAuthenticated(): void {
    this.#authenticated = true;
  }

  send(message: string | Buffer): boolean {
    if (this.#closed) return false;
    const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    // RFC 3261 18.1.1 asks for TCP past 1300 bytes where the peer takes it; a phone registered
    // over UDP is reached over UDP, so larger messages go as (fragmented) datagrams up to the limit.
    if (bytes.length > MAX_DATAGRAM_BYTES) return false;
    try {
      this.socket.send(bytes, this.remotePort, this.remoteAddress, (error) => {
        if (error) this.reportError(error);
      });
    } catch {
      // The transport's socket is closed (the server is stopping): nothing more can be sent.
      return false;
    }
    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.forget(this);
    this.#closeListeners.tell();
  }

  onClose(listener: () => void): () => void {
    return this.#closeListeners.add(listener);
  }
}

function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function isBlank(data: Buffer): boolean {
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a && byte !== 0x20 && byte !== 0x09) return false;
  return true;
}

/**
 * SIP over UDP (RFC 3261 18): one message per datagram, bytes past Content-Length dropped.
 * A request's flow is where its responses go (RFC 3581: the source address and port when its
 * Via asks for rport, otherwise the source address and the Via's port, 18.2.2); the same flow
 * object comes back for an address as long as anything (a registration, a dialog, a
 * transaction) holds it, so a phone registered over UDP is recognised by its address.
 */
export function createUdpTransport(options: UdpTransportOptions = {}): UdpTransport {
  const parseOptions: ParseOptions = {
    extraBodyBytes: 'discard',
    ...options.parse,
    limits: { maxMessageBytes: MAX_DATAGRAM_BYTES, ...options.parse?.limits },
  };
  const onError = options.onError ?? (() => {});
  const listeners = new TransportListeners(onError);
  // Weakly held: flows nothing refers to any more (a forged source, say) are collected.
  const flows = new Map<string, WeakRef<UdpFlow>>();
  const collected = new FinalizationRegistry<string>((key) => {
    if (flows.get(key)?.deref() === undefined) flows.delete(key);
  });
  let socket: Socket | null = null;
  let localPort = 0;
  let locals: LocalAddresses | null = null;

  function flowFor(address: string, port: number): UdpFlow {
    const key = `${address}|${port}`;
    const existing = flows.get(key)?.deref();
    if (existing && !existing.closed) return existing;
    if (!socket || !locals) throw new Error('The UDP transport is not listening');
    const host = isIPv6(address) ? `[${address}]` : address;
    const flow = new UdpFlow(
      `udp-${host}:${port}`,
      address,
      port,
      locals.toward(address),
      localPort,
      socket,
      (error) => onError(error, flow),
      (closed) => {
        if (flows.get(key)?.deref() === closed) flows.delete(key);
      },
    );
    flows.set(key, new WeakRef(flow));
    collected.register(flow, key);
    listeners.connection(flow);
    return flow;
  }

  /** Where responses to this request go (RFC 3581 section 4; RFC 3261 18.2.2). */
  function responsePort(message: SipMessage, sourcePort: number): number {
    const via = topViaOf(message);
    if (!via || via.params.has('rport')) return sourcePort;
    return via.port ?? 5060;
  }

  function receive(data: Buffer, source: { address: string; port: number }): void {
    // Keep-alives (CRLF) and stray whitespace are not messages.
    if (data.length === 0 || isBlank(data)) return;
    const address = plainAddress(source.address);
    const result = parseMessage(data, parseOptions);
    if (!result.ok) {
      const { error } = result;
      const request = error.request;
      const flow = flowFor(address, request ? responsePort(request, source.port) : source.port);
      if (error.canRespond && request && request.method !== 'ACK') {
        stampTopVia(request, address, source.port);
        flow.send(serializeMessage(buildResponse(request, error.status, error.reason)));
      }
      listeners.malformed(error, flow);
      return;
    }
    const { message } = result;
    let flow: UdpFlow;
    if (message.kind === 'request') {
      flow = flowFor(address, responsePort(message, source.port));
      stampTopVia(message, address, source.port);
    } else {
      flow = flowFor(address, source.port);
    }
    listeners.message(message, flow);
  }

  return {
    async listen(port, host) {
      locals = await LocalAddresses.discover(host);
      const bound = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
      await new Promise<void>((resolve, reject) => {
        bound.once('error', reject);
        bound.bind(port, host, () => {
          bound.off('error', reject);
          resolve();
        });
      });
      bound.on('error', (error) => onError(error, null));
      bound.on('message', (data, rinfo) => {
        try {
          receive(data, rinfo);
        } catch (error) {
          onError(error, null);
        }
      });
      socket = bound;
      const address = bound.address();
      localPort = address.port;
      return address;
    },
    flowTo(address, port) {
      return flowFor(plainAddress(address), port);
    },
    ...listeners.subscriptions,
    close() {
      const open = socket;
      socket = null;
      if (!open) return Promise.resolve();
      return new Promise<void>((resolve) => open.close(() => resolve()));
    },
  };
}
