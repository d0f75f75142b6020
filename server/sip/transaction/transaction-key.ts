import { callIdOf, cseqOf, fromTagOf, topViaOf } from '../message/message-fields';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { hasMagicCookie, viaBranch, viaSentBy } from '../message/via';

/**
 * Server transaction key (RFC 3261 17.2.3): branch, sent-by and method, with ACK mapped to
 * INVITE so that the ACK for a non-2xx final response finds its INVITE transaction.
 * `methodOverride` finds the INVITE a CANCEL refers to.
 */
export function serverTransactionKey(request: SipRequest, methodOverride?: string): string | null {
  const via = topViaOf(request);
  if (!via) return null;
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const branch = viaBranch(via);
  if (hasMagicCookie(branch)) return `${branch}|${viaSentBy(via)}|${method}`;
  // RFC 2543 peers: match on the request's identity instead (simplified 17.2.3 fallback;
  // the To tag of an ACK is not compared).
  const cseq = cseqOf(request);
  const topVia = request.headers.get('via') ?? '';
  return `2543|${request.uri}|${fromTagOf(request) ?? ''}|${callIdOf(request)}|${cseq?.seq ?? ''}|${topVia}|${method}`;
}

/** Client transaction key (RFC 3261 17.1.3): top Via branch and CSeq method. */
export function clientTransactionKey(message: SipRequest | SipResponse): string | null {
  const via = topViaOf(message);
  const branch = via ? viaBranch(via) : null;
  const cseq = cseqOf(message);
  if (branch === null || branch === '' || !cseq) return null;
  return `${branch}|${cseq.method}`;
}
