import { parseCSeq } from '../message/cseq';
import { parseNameAddr } from '../message/name-addr';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { hasMagicCookie, parseVia, viaBranch, viaSentBy } from '../message/via';

/**
 * Server transaction key (RFC 3261 17.2.3): branch, sent-by and method, with ACK mapped to
 * INVITE so that the ACK for a non-2xx final response finds its INVITE transaction.
 * `methodOverride` finds the INVITE a CANCEL refers to.
 */
export function serverTransactionKey(request: SipRequest, methodOverride?: string): string | null {
  const topVia = request.headers.get('via');
  const via = topVia === undefined ? null : parseVia(topVia);
  if (!via) return null;
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const branch = viaBranch(via);
  if (hasMagicCookie(branch)) return `${branch}|${viaSentBy(via)}|${method}`;
  // RFC 2543 peers: match on the request's identity instead (simplified 17.2.3 fallback;
  // the To tag of an ACK is not compared).
  const cseq = parseCSeq(request.headers.get('cseq') ?? '');
  const from = parseNameAddr(request.headers.get('from') ?? '');
  const fromTag = from?.params.get('tag') ?? '';
  return `2543|${request.uri}|${fromTag}|${request.headers.get('call-id') ?? ''}|${cseq?.seq ?? ''}|${topVia ?? ''}|${method}`;
}

/** Client transaction key (RFC 3261 17.1.3): top Via branch and CSeq method. */
export function clientTransactionKey(message: SipRequest | SipResponse): string | null {
  const topVia = message.headers.get('via');
  const via = topVia === undefined ? null : parseVia(topVia);
  const branch = via ? viaBranch(via) : null;
  const cseq = parseCSeq(message.headers.get('cseq') ?? '');
  if (branch === null || branch === '' || !cseq) return null;
  return `${branch}|${cseq.method}`;
}
