import { topViaOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import { formatVia, parseVia, type Via } from '../message/via';

/**
 * RFC 3261 18.2.1 and RFC 3581: record where a request really came from in its top Via, so
 * that responses and the registrar see the source address, not the host the client wrote. The
 * Via the parser read is stamped as a copy and kept parsed for the hops after.
 */
export function stampTopVia(request: SipRequest, remoteAddress: string, remotePort: number): void {
  const via = topViaOf(request);
  if (!via) return;
  const rportRequested = via.params.has('rport');
  // received is added when sent-by is not the source address, and always with rport.
  if (!rportRequested && via.host === remoteAddress) return;
  const stamped: Via = { ...via, params: new Map(via.params) };
  stamped.params.set('received', remoteAddress);
  if (rportRequested) stamped.params.set('rport', String(remotePort));
  request.headers.replaceFirst('via', formatVia(stamped), parseVia, stamped);
}
