import type { EdgeContext } from '../edge-context';
import { contactOf } from '../message/message-fields';
import { generateBranch } from '../message/identifiers';
import { formatNameAddr, parseNameAddr } from '../message/name-addr';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { EDGE_USER_AGENT } from '../trunks/uac-request';

/**
 * One leg of a bridged call as the edge sees it when it is a user agent in that dialog
 * (RFC 3261 12): enough to send requests in it. The carrier leg keeps these as plain fields; the
 * browser leg reads them from the call's CallDialog (see BrowserLeg), whose phone side follows a
 * reconnected phone.
 */
export interface UaLeg {
  readonly callId: string;
  /** Our From/To value with our tag (From in requests we send). */
  readonly local: string;
  /** Theirs with their tag (To in requests we send). */
  readonly remote: string;
  /** Their Contact: the Request-URI of requests we send. */
  readonly target: string;
  /** Route headers of requests we send, in order. */
  readonly routes: readonly string[];
  /** Null while the peer is away (a phone reconnecting). */
  readonly connection: SipConnection | null;
  /** Our next CSeq in the dialog (increments). */
  nextCseq(): number;
}

/** The edge's Contact toward a connection's peer: an address for UDP/TCP, the SIP domain for WebSocket. */
export function edgeContact(context: EdgeContext, connection: SipConnection, user = 'bridge'): string {
  const hostPort = context.address.hostPortFor(connection);
  if (hostPort === null) return `<sip:${user}@${context.address.domain};transport=ws>`;
  return connection.transport === 'tcp'
    ? `<sip:${user}@${hostPort};transport=tcp>`
    : `<sip:${user}@${hostPort}>`;
}

export interface LegRequestInit {
  body?: string;
  contentType?: string;
  /** For ACK: the INVITE's CSeq number. Otherwise the leg's next one. */
  cseq?: number;
  headers?: readonly (readonly [string, string])[];
}

/** A request in a leg's dialog; null when its peer has no connection now. */
export function legRequest(
  context: EdgeContext,
  leg: UaLeg,
  method: string,
  init: LegRequestInit = {},
): SipRequest | null {
  const { connection } = leg;
  if (!connection || connection.closed) return null;
  const cseq = init.cseq ?? leg.nextCseq();
  const request = createRequest(method, leg.target, [
    ['Via', context.address.via(generateBranch(), connection)],
    ['Max-Forwards', '70'],
    ['From', leg.local],
    ['To', leg.remote],
    ['Call-ID', leg.callId],
    ['CSeq', `${cseq} ${method}`],
  ]);
  if (leg.routes.length > 0) request.headers.set('Route', [...leg.routes]);
  if (method === 'INVITE' || method === 'UPDATE')
    request.headers.set('Contact', edgeContact(context, connection));
  if (method !== 'ACK') request.headers.set('User-Agent', EDGE_USER_AGENT);
  for (const [name, value] of init.headers ?? []) request.headers.append(name, value);
  if (init.body !== undefined && init.body !== '') {
    request.headers.set('Content-Type', init.contentType ?? 'application/sdp');
    request.body = init.body;
  }
  return request;
}

/** A name-addr header value with its tag set (a To header gaining the answerer's tag). */
export function withTag(header: string, tag: string): string {
  const addr = parseNameAddr(header);
  if (!addr) return header;
  const params = new Map(addr.params);
  params.set('tag', tag);
  return formatNameAddr({ ...addr, params });
}

/** A 2xx's Contact URI (the remote target), or the fallback. */
export function remoteTargetOf(message: SipRequest | SipResponse, fallback: string): string {
  return contactOf(message)?.uri ?? fallback;
}

/** The body as text (SDP, DTMF): bodies the bridge handles are text. */
export function textBody(message: SipRequest | SipResponse): string {
  return typeof message.body === 'string' ? message.body : message.body.toString('utf8');
}

/** Whether a message carries an SDP body. */
export function hasSdp(message: SipRequest | SipResponse): boolean {
  const type = message.headers.get('content-type') ?? '';
  return /^application\/sdp\b/i.test(type.trim()) && textBody(message).trim() !== '';
}
