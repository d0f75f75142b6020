import { parseMessage } from '../message/parse-message';
import type { SipRequest } from '../message/sip-message';

/** A request as a phone sends it to the edge, parsed: what the transaction tests receive. */
export function request(
  method: string,
  options: { branch?: string; cseq?: number; sentBy?: string; callId?: string; headers?: string[] } = {},
): SipRequest {
  const branch = options.branch ?? 'z9hG4bKabc123';
  const text = [
    `${method} sip:bob@example.com SIP/2.0`,
    `Via: SIP/2.0/UDP ${options.sentBy ?? 'client.example.com:5060'};branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=fromtag',
    'To: <sip:bob@example.com>',
    `Call-ID: ${options.callId ?? 'call-1'}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    'Route: <sip:edge.example.com;lr>',
    ...(options.headers ?? []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const result = parseMessage(text);
  if (!result.ok || result.message.kind !== 'request') throw new Error('bad fixture');
  return result.message;
}
