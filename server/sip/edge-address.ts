import { hash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { parseNameAddr } from './message/name-addr';
import type { SipHeaders } from './message/sip-headers';
import { parseSipUri } from './message/sip-uri';
import { BRANCH_MAGIC_COOKIE } from './message/via';
import type { SipConnection } from './transport/transport';

/** Transports the edge listens on with a port of its own (WebSocket shares the HTTP port). */
export type SocketTransport = 'udp' | 'tcp';

function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/**
 * How the edge names itself toward each peer: its Via and its Record-Route (a WebSocket peer
 * reaches it by the SIP domain over its connection; a UDP or TCP peer by an address and port),
 * and how it recognises a Route that points at it (loose routing, RFC 3261 16.4).
 */
export class EdgeAddress {
  readonly #ownHosts = new Set<string>();
  readonly #ports = new Map<SocketTransport, number>();

  /**
   * `advertisedHost` (SIP_ADVERTISED_HOST) is written toward UDP and TCP peers when set, instead
   * of the local address they reached: the public address of a server behind NAT.
   */
  constructor(
    readonly domain: string,
    readonly advertisedHost: string | null = null,
  ) {
    this.#ownHosts.add(domain.toLowerCase());
    if (advertisedHost !== null) this.#ownHosts.add(bracketed(advertisedHost).toLowerCase());
  }

  /** A UDP or TCP socket the edge listens on: its port, and the addresses that reach it. */
  listening(transport: SocketTransport, port: number, hosts: string[]): void {
    this.#ports.set(transport, port);
    for (const host of hosts) this.#ownHosts.add(bracketed(host).toLowerCase());
  }

  /** `host:port` a UDP or TCP peer reaches the edge at; null for WebSocket peers. */
  hostPortFor(connection: SipConnection | undefined): string | null {
    const transport = connection?.transport;
    if (transport !== 'udp' && transport !== 'tcp') return null;
    const host = this.advertisedHost ?? connection?.localAddress ?? this.domain;
    const port = this.#ports.get(transport) ?? connection?.localPort ?? 5060;
    return `${bracketed(host)}:${port}`;
  }

  /** The Via the edge adds to a request sent on `connection`. */
  via(branch: string, connection?: SipConnection): string {
    const hostPort = this.hostPortFor(connection);
    if (hostPort === null) return `SIP/2.0/WS ${this.domain};branch=${branch}`;
    // rport (RFC 3581): a UDP peer answers to the address and port the request came from.
    if (connection?.transport === 'udp') return `SIP/2.0/UDP ${hostPort};branch=${branch};rport`;
    return `SIP/2.0/TCP ${hostPort};branch=${branch}`;
  }

  /** The Record-Route entry naming the edge as `connection`'s peer reaches it. */
  recordRoute(connection?: SipConnection): string {
    const hostPort = this.hostPortFor(connection);
    if (hostPort === null) return `<sip:${this.domain};transport=ws;lr>`;
    return connection?.transport === 'tcp' ? `<sip:${hostPort};transport=tcp;lr>` : `<sip:${hostPort};lr>`;
  }

  /**
   * The Record-Route entries for a request from `from` forwarded to `to`, top first: one when
   * both reach the edge alike, otherwise two (RFC 5658), the one facing `to` on top, so that
   * each side's route set starts with the address it can reach.
   */
  recordRoutes(from: SipConnection, to: SipConnection): string[] {
    const outbound = this.recordRoute(to);
    const inbound = this.recordRoute(from);
    return outbound === inbound ? [outbound] : [outbound, inbound];
  }

  isOwnRoute(value: string): boolean {
    const addr = parseNameAddr(value);
    const uri = addr ? parseSipUri(addr.uri) : null;
    if (uri === null || uri.user !== null || !uri.params.has('lr')) return false;
    if (uri.host === this.domain.toLowerCase()) return true;
    if (!this.#ownHosts.has(uri.host)) return false;
    const port = uri.port ?? 5060;
    return [...this.#ports.values()].includes(port);
  }

  /** Removes the Route entries at the top that name this edge (both of a double Record-Route). */
  popOwnRoutes(headers: SipHeaders): void {
    const routes = [...headers.getAll('route')];
    let i = 0;
    while (i < routes.length && this.isOwnRoute(routes[i] ?? '')) i++;
    if (i === 0) return;
    if (i === routes.length) headers.remove('route');
    else headers.set('Route', routes.slice(i));
  }

  /**
   * A branch derived from the incoming branch, the connection it came on and the target,
   * so that a CANCEL or a non-2xx ACK lands on the same outgoing transaction.
   */
  branchFor(incomingBranch: string, connectionId: string, target: string): string {
    const digest = hash('sha1', `${incomingBranch}|${connectionId}|${target}`, 'base64url').slice(0, 22);
    return `${BRANCH_MAGIC_COOKIE}${digest}`;
  }
}
