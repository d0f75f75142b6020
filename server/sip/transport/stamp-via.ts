import type { SipRequest } from '../message/sip-message';
import { formatVia, parseVia } from '../message/via';

/**
 * RFC 3261 18.2.1 and RFC 3581: record where a request really came from in its top Via, so
 * that responses and the registrar see the source address, not the host the client wrote.
 */
export function stampTopVia(request: SipRequest, remoteAddress: string, remotePort: number): void {
  const top = request.headers.get('via');
  const via = top === undefined ? null : parseVia(top);
  if (!via) return;
  const rportRequested = via.params.has('rport');
  // received is added when sent-by is not the source address, and always with rport.
  if (rportRequested || via.host !== remoteAddress) via.params.set('received', remoteAddress);
  if (rportRequested) via.params.set('rport', String(remotePort));
  const all = [...request.headers.getAll('via')];
  all[0] = formatVia(via);
  request.headers.set('Via', all);
}
