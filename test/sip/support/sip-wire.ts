import type { SipRequest } from '../../../server/sip/message/sip-message';

/** A request a raw test client sends: the parts it builds the text from. */
export interface RequestParts {
  method: string;
  uri: string;
  from: string;
  to: string;
  callId: string;
  cseq: number;
  headers?: [string, string][];
  body?: string;
  /** The Via branch (an INVITE's, for its CANCEL or the ACK of a non-2xx); a new one when absent. */
  branch?: string;
}

/** What a raw test client adds to an answer: a To tag for a new dialog, headers, a body. */
export interface AnswerExtra {
  toTag?: string;
  headers?: [string, string][];
  body?: string;
}

/** How a client writes its messages: the carrier labels a body as SDP itself, phones copy Record-Route. */
export interface WireStyle {
  /** Adds `Content-Type: application/sdp` when there is a body. */
  sdpBody?: boolean;
  /** Copies the request's Record-Route into the answer (a proxy's route set for the dialog). */
  recordRoute?: boolean;
}

/** The header lines that end every message: extra headers, the body's type when asked, its length, the body. */
function tail(headers: [string, string][], body: string, style: WireStyle): string[] {
  return [
    ...headers.map(([name, value]) => `${name}: ${value}`),
    ...(style.sdpBody && body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
}

/** The text of a request, with `via` as its Via value and `lines` (e.g. a Contact) before its own headers. */
export function requestText(
  parts: RequestParts,
  via: string,
  lines: string[] = [],
  style: WireStyle = {},
): string {
  return [
    `${parts.method} ${parts.uri} SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    `From: ${parts.from}`,
    `To: ${parts.to}`,
    `Call-ID: ${parts.callId}`,
    `CSeq: ${parts.cseq} ${parts.method}`,
    ...lines,
    ...tail(parts.headers ?? [], parts.body ?? '', style),
  ].join('\r\n');
}

/** The text of an answer to `request`: Via, From, To (tagged if asked), Call-ID and CSeq copied from it. */
export function responseText(
  request: SipRequest,
  status: number,
  reason: string,
  extra: AnswerExtra = {},
  style: WireStyle = {},
): string {
  let to = request.headers.get('to') ?? '';
  if (extra.toTag && !/;tag=/.test(to)) to += `;tag=${extra.toTag}`;
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...request.headers.getAll('via').map((v) => `Via: ${v}`),
    `From: ${request.headers.get('from') ?? ''}`,
    `To: ${to}`,
    `Call-ID: ${request.headers.get('call-id') ?? ''}`,
    `CSeq: ${request.headers.get('cseq') ?? ''}`,
    ...(style.recordRoute ? request.headers.getAll('record-route').map((v) => `Record-Route: ${v}`) : []),
    ...tail(extra.headers ?? [], extra.body ?? '', style),
  ].join('\r\n');
}
