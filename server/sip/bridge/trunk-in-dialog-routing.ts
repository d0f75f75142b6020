import { reply } from '../edge-context';
import { reattach, type CallDialog } from '../dialogs/call-dialog';
import { callIdOf, cseqOf, fromTagOf, toTagOf } from '../message/message-fields';
import { parseNameAddr, tagOf } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { bridgeInDialog } from './bridge-in-dialog';
import type { BridgeHost } from './bridge-host';
import type { BridgedCall } from './bridged-call';

/** Where in-dialog routing finds a bridged call: by its browser leg's dialog, or by the carrier leg's Call-ID. */
export interface BridgedCallLookup {
  callOfDialog(dialog: CallDialog): BridgedCall | undefined;
  callOfCarrier(callId: string): BridgedCall | undefined;
}

function tagIn(header: string): string | null {
  return tagOf(parseNameAddr(header) ?? { displayName: null, uri: '', params: new Map() });
}

function run(host: BridgeHost, work: Promise<void>, transaction: ServerTransaction | null): void {
  work.catch((error: unknown) => {
    host.context.log.error('SIP edge: a request in a trunk call failed', error);
    if (transaction && transaction.lastResponse === null) reply(transaction, 500, 'Server Internal Error');
  });
}

/**
 * Takes an in-dialog request (or ACK) of a bridged call: from the agent's phone (its browser leg's
 * Call-ID and tags, from its connection or one it registered on since) or from the carrier (the
 * carrier leg's, from the trunk's address); anyone else is answered 403. False: not a bridged call's.
 */
export function routeTrunkInDialog(
  host: BridgeHost,
  calls: BridgedCallLookup,
  request: SipRequest,
  transaction: ServerTransaction | null,
  connection: SipConnection,
): boolean {
  const { context } = host;
  const callId = callIdOf(request);
  const fromTag = fromTagOf(request) ?? '';
  const toTag = toTagOf(request) ?? '';
  const match = context.dialogs.match(callId, fromTag, toTag);
  if (match) {
    const call = calls.callOfDialog(match.dialog);
    if (!call) return false;
    const { sender } = match;
    if (sender !== call.agent) {
      if (transaction) reply(transaction, 403, 'You are not a party to this call');
      return true;
    }
    if (sender.connection !== connection) {
      // A phone that reconnected speaks from its new connection; only if it registered there.
      const registeredHere = context.location
        .ofConnection(connection.id)
        .some((b) => b.userId === sender.userId);
      if (!registeredHere) {
        if (transaction) reply(transaction, 403, 'You are not a party to this call');
        return true;
      }
      reattach(sender, connection);
    }
    const cseq = cseqOf(request);
    if (cseq && request.method !== 'ACK') sender.cseq = Math.max(sender.cseq, cseq.seq);
    run(host, bridgeInDialog(host, call, 'browser', request, transaction), transaction);
    return true;
  }
  const call = calls.callOfCarrier(callId);
  const carrier = call?.carrier;
  if (!call || !carrier) return false;
  if (fromTag !== tagIn(carrier.remote) || toTag !== tagIn(carrier.local)) return false;
  const fromCarrier =
    connection === carrier.connection ||
    connection.remoteAddress === carrier.connection.remoteAddress ||
    host.trunks()?.trunkOf(connection)?.id === call.trunk.id;
  if (!fromCarrier) {
    if (transaction) reply(transaction, 403, 'You are not a party to this call');
    return true;
  }
  run(host, bridgeInDialog(host, call, 'trunk', request, transaction), transaction);
  return true;
}
