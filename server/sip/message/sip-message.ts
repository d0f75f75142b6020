import { SipHeaders } from './sip-headers';
import type { SipUri } from './sip-uri';

/**
 * A message body: text when its bytes are UTF-8 (SDP, DTMF, plain text: nearly always),
 * otherwise the bytes themselves (a binary MIME part, RFC 4475 3.1.1.11), which are sent
 * on as they came.
 */
export type SipBody = string | Buffer;

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** The Request-URI as written; parse it with parseSipUri when it is a SIP URI. */
  uri: string;
  headers: SipHeaders;
  body: SipBody;
  /** requestUriOf's memo: the URI as it read it, for the text it read. */
  parsedUri?: { readonly text: string; readonly uri: SipUri | null };
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: SipBody;
}

export type SipMessage = SipRequest | SipResponse;

export type HeaderInit = Iterable<readonly [string, string]>;

function headersFrom(init: HeaderInit | undefined): SipHeaders {
  const headers = new SipHeaders();
  if (init) for (const [name, value] of init) headers.append(name, value);
  return headers;
}

export function createRequest(
  method: string,
  uri: string,
  headers?: HeaderInit,
  body: SipBody = '',
): SipRequest {
  return { kind: 'request', method, uri, headers: headersFrom(headers), body };
}

export function createResponse(
  status: number,
  reason: string,
  headers?: HeaderInit,
  body: SipBody = '',
): SipResponse {
  return { kind: 'response', status, reason, headers: headersFrom(headers), body };
}

export function cloneMessage<T extends SipMessage>(message: T): T {
  return { ...message, headers: message.headers.clone() };
}
