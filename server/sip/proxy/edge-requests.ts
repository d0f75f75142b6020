import type { EdgeContext } from '../edge-context';
import { generateBranch } from '../message/identifiers';
import { createRequest, type SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';

export interface InDialogTarget {
  /** The target's Contact: the Request-URI. */
  uri: string;
  /** From and To as seen by the target (From is the party the edge speaks for). */
  from: string;
  to: string;
  callId: string;
  cseq: number;
}

/** A request the edge itself originates inside a dialog (a BYE for a party that left). */
export function buildInDialogRequest(
  context: EdgeContext,
  method: 'ACK' | 'BYE',
  target: InDialogTarget,
  reason?: string,
): SipRequest {
  const request = createRequest(method, target.uri, [
    ['Via', context.address.via(generateBranch())],
    ['Max-Forwards', '70'],
    ['From', target.from],
    ['To', target.to],
    ['Call-ID', target.callId],
    ['CSeq', `${target.cseq} ${method}`],
  ]);
  if (reason !== undefined) request.headers.set('Reason', reason);
  return request;
}

/** Sends a BYE on behalf of a party; the answer only ends the edge's transaction. */
export function sendBye(
  context: EdgeContext,
  connection: SipConnection,
  target: InDialogTarget,
  reason?: string,
): void {
  if (connection.closed) return;
  try {
    context.layer.sendRequest(buildInDialogRequest(context, 'BYE', target, reason), connection);
  } catch (error) {
    context.log.warn('SIP edge: could not send BYE', error);
  }
}
