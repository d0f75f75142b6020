import { cseqOf } from '../message/message-fields';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { SipHeaders } from '../message/sip-headers';

function baseHeaders(invite: SipRequest, method: string, to: string): SipHeaders {
  const headers = new SipHeaders();
  const topVia = invite.headers.get('via');
  if (topVia !== undefined) headers.set('Via', topVia);
  headers.set('Max-Forwards', '70');
  const routes = invite.headers.getAll('route');
  if (routes.length > 0) headers.set('Route', routes);
  const from = invite.headers.get('from');
  if (from !== undefined) headers.set('From', from);
  headers.set('To', to);
  const callId = invite.headers.get('call-id');
  if (callId !== undefined) headers.set('Call-ID', callId);
  const cseq = cseqOf(invite);
  headers.set('CSeq', `${cseq?.seq ?? 0} ${method}`);
  return headers;
}

/** The ACK an INVITE client transaction sends for a non-2xx final response (17.1.1.3). */
export function buildAckForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const to = response.headers.get('to') ?? invite.headers.get('to') ?? '';
  return {
    kind: 'request',
    method: 'ACK',
    uri: invite.uri,
    headers: baseHeaders(invite, 'ACK', to),
    body: '',
  };
}

/** A CANCEL for an INVITE (RFC 3261 9.1): same branch, so it reaches the same server. */
export function buildCancel(invite: SipRequest, reason?: string): SipRequest {
  const headers = baseHeaders(invite, 'CANCEL', invite.headers.get('to') ?? '');
  if (reason !== undefined) headers.set('Reason', reason);
  return { kind: 'request', method: 'CANCEL', uri: invite.uri, headers, body: '' };
}
