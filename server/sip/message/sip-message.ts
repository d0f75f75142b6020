import { SipHeaders } from './sip-headers';

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** The Request-URI as written; parse it with parseSipUri when it is a SIP URI. */
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

export type HeaderInit = Iterable<readonly [string, string]>;

function headersFrom(init: HeaderInit | undefined): SipHeaders {
  const headers = new SipHeaders();
  if (init) for (const [name, value] of init) headers.append(name, value);
  return headers;
}

export function createRequest(method: string, uri: string, headers?: HeaderInit, body = ''): SipRequest {
  return { kind: 'request', method, uri, headers: headersFrom(headers), body };
}

export function createResponse(status: number, reason: string, headers?: HeaderInit, body = ''): SipResponse {
  return { kind: 'response', status, reason, headers: headersFrom(headers), body };
}

export function cloneMessage<T extends SipMessage>(message: T): T {
  return { ...message, headers: message.headers.clone() };
}
