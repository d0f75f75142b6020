import { cloneMessage, type SipRequest, type SipResponse } from '../message/sip-message';
import { callIdOf, topViaOf } from '../message/message-fields';
import { viaBranch } from '../message/via';
import { MONITOR_HEADER } from '../../../contracts/monitor-header';
import type { EdgeAddress } from '../edge-address';
import type { SipConnection } from '../transport/transport';

export interface ForwardTarget {
  /** The connection the request came on. */
  from: SipConnection;
  /** The connection it is sent on (its transport decides the Via and Record-Route). */
  to: SipConnection;
  /** What it is sent to (a binding id or dialog side), for the derived branch. */
  targetKey: string;
  /** A new Request-URI (a registered Contact), or keep the request's. */
  uri?: string;
  recordRoute?: boolean;
}

/**
 * The request as this proxy forwards it (RFC 3261 16.6): our Routes popped, Max-Forwards
 * decremented, the monitor mark stripped, Record-Route (twice when it crosses transports,
 * RFC 5658) and our Via for the outgoing transport added. Null when
 * Max-Forwards is exhausted (answer 483).
 */
export function prepareForward(
  request: SipRequest,
  address: EdgeAddress,
  target: ForwardTarget,
): SipRequest | null {
  const forwarded = cloneMessage(request);
  const { headers } = forwarded;
  headers.remove(MONITOR_HEADER);
  address.popOwnRoutes(headers);
  const maxForwards = Number(headers.get('max-forwards') ?? '70');
  if (maxForwards <= 0) return null;
  headers.set('Max-Forwards', String(maxForwards - 1));
  if (target.uri !== undefined) forwarded.uri = target.uri;
  if (target.recordRoute) {
    // Bottom first: prepend puts each on top, the entry facing `to` ends up first.
    for (const entry of address.recordRoutes(target.from, target.to).reverse()) {
      headers.prepend('Record-Route', entry);
    }
  }
  const via = topViaOf(request);
  const incoming = (via && viaBranch(via)) ?? callIdOf(request);
  const cseq = request.headers.get('cseq') ?? '';
  const branch = address.branchFor(`${incoming}|${cseq}`, target.from.id, target.targetKey);
  headers.prepend('Via', address.via(branch, target.to));
  return forwarded;
}

/** A response as passed upstream: our own Via removed (sip.js drops it otherwise). */
export function relayResponse(response: SipResponse): SipResponse {
  const copy = cloneMessage(response);
  copy.headers.shift('via');
  return copy;
}
