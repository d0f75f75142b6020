import { createHash } from 'node:crypto';
import { parseNameAddr } from './message/name-addr';
import type { SipHeaders } from './message/sip-headers';
import { parseSipUri } from './message/sip-uri';
import { BRANCH_MAGIC_COOKIE } from './message/via';

/**
 * How the edge names itself: its Via, its Record-Route, and how it recognises a Route
 * that points at it (loose routing, RFC 3261 16.4).
 */
export class EdgeAddress {
  constructor(readonly host: string) {}

  via(branch: string): string {
    return `SIP/2.0/WS ${this.host};branch=${branch}`;
  }

  recordRoute(): string {
    return `<sip:${this.host};transport=ws;lr>`;
  }

  isOwnRoute(value: string): boolean {
    const addr = parseNameAddr(value);
    const uri = addr ? parseSipUri(addr.uri) : null;
    return uri !== null && uri.user === null && uri.host === this.host && uri.params.has('lr');
  }

  /** Removes the Route entries at the top that name this edge. */
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
    const digest = createHash('sha1')
      .update(`${incomingBranch}|${connectionId}|${target}`)
      .digest('base64url')
      .slice(0, 22);
    return `${BRANCH_MAGIC_COOKIE}${digest}`;
  }
}
