import type { EdgeContext } from '../edge-context';
import { generateBranch } from '../message/identifiers';
import { formatNameAddr, parseNameAddr } from '../message/name-addr';
import { createRequest, type SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import type { CallDialog, DialogSide } from '../dialogs/call-dialog';

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
  connection: SipConnection,
  reason?: string,
): SipRequest {
  const request = createRequest(method, target.uri, [
    ['Via', context.address.via(generateBranch(), connection)],
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
    context.layer.sendRequest(buildInDialogRequest(context, 'BYE', target, connection, reason), connection);
  } catch (error) {
    context.log.warn('SIP edge: could not send BYE', error);
  }
}

/**
 * Hangs up one party of an answered dialog on behalf of the other (who left, or whose call the
 * edge ends): a BYE in the other's name, continuing the other's CSeq.
 */
export function byeOnBehalf(context: EdgeContext, dialog: CallDialog, to: DialogSide, reason: string): void {
  const callee = dialog.callee;
  if (!callee || !to.connection) return;
  const from = to === dialog.caller ? callee : dialog.caller;
  const callerFrom = dialog.fromHeader;
  const calleeTo = withTag(dialog.toHeader, callee.tag);
  from.cseq += 1;
  sendBye(
    context,
    to.connection,
    {
      uri: to.contactUri,
      from: from === dialog.caller ? callerFrom : calleeTo,
      to: from === dialog.caller ? calleeTo : callerFrom,
      callId: dialog.callId,
      cseq: from.cseq,
    },
    reason,
  );
}

function withTag(header: string, tag: string): string {
  const addr = parseNameAddr(header);
  if (!addr) return header;
  const params = new Map(addr.params);
  params.set('tag', tag);
  return formatNameAddr({ ...addr, params });
}
