import { generateTag } from './identifiers';
import { toOf } from './message-fields';
import type { HeaderInit, SipRequest, SipResponse } from './sip-message';
import { SipHeaders } from './sip-headers';

export interface ResponseExtras {
  headers?: HeaderInit;
  body?: string;
  /** The To tag to add when the request's To has none; generated when omitted. */
  toTag?: string;
}

/**
 * Builds a response per RFC 3261 8.2.6: Via (all, in order), From, Call-ID and CSeq are
 * copied, To is copied and given a tag unless it has one or the status is 100.
 */
export function buildResponse(
  request: SipRequest,
  status: number,
  reason: string,
  extras: ResponseExtras = {},
): SipResponse {
  const headers = new SipHeaders();
  const source = request.headers;
  headers.set('Via', source.getAll('via'));
  const from = source.get('from');
  if (from !== undefined) headers.set('From', from);
  const to = source.get('to');
  if (to !== undefined) headers.set('To', status === 100 ? to : withToTag(request, to, extras.toTag));
  const callId = source.get('call-id');
  if (callId !== undefined) headers.set('Call-ID', callId);
  const cseq = source.get('cseq');
  if (cseq !== undefined) headers.set('CSeq', cseq);
  // RFC 3261 8.2.6.1: a 100 echoes Timestamp.
  const timestamp = source.get('timestamp');
  if (status === 100 && timestamp !== undefined) headers.set('Timestamp', timestamp);
  if (extras.headers) for (const [name, value] of extras.headers) headers.append(name, value);
  return { kind: 'response', status, reason, headers, body: extras.body ?? '' };
}

function withToTag(request: SipRequest, to: string, tag: string | undefined): string {
  // The To the parser read (parsed once per message) says whether it has a tag already.
  const addr = toOf(request);
  // An unparseable To (answering a malformed request) is echoed as it came.
  if (!addr || addr.params.has('tag')) return to;
  // The request's To as it came, with the tag as its last header parameter (in either form,
  // name-addr or addr-spec, parameters after the address are the header's: RFC 3261 20.10).
  return `${to};tag=${tag ?? generateTag()}`;
}
