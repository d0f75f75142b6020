import { buildResponse } from '../message/build-response';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { BridgeHost } from './bridge-host';
import { CarrierLeg, MEDIA_TAG, repeatUntilAck, type BridgedCall } from './bridged-call';
import { BRIDGE_ALLOW } from './phone-invite';
import { edgeContact, remoteTargetOf, textBody, withTag } from './ua-leg';

/** A customer's INVITE from a carrier that the edge answers itself, under its To tag `tag`. */
export interface CarrierInviteHeld {
  readonly request: SipRequest;
  readonly transaction: InviteServerTransaction;
  readonly connection: SipConnection;
  readonly tag: string;
}

/**
 * Tells the carrier the call rings (180 with the edge's tag). A customer's call rings the same
 * way whether it goes to a user's phones or waits in a queue, so both say it here.
 */
export function ringCarrier(host: BridgeHost, call: BridgedCall, held: CarrierInviteHeld): void {
  held.transaction.respond(
    buildResponse(held.request, 180, 'Ringing', {
      toTag: held.tag,
      headers: [['Contact', edgeContact(host.context, held.connection)]],
    }),
  );
  host.context.dialogs.setState(call.dialog, 'ringing');
}

/** rtpengine's answer toward the carrier for the answering phone's SDP (the customer's offer made for it). */
export function carrierAnswerSdp(
  host: BridgeHost,
  call: BridgedCall,
  phoneAnswer: SipResponse,
): Promise<string> {
  return host.media.answer({
    callId: call.mediaId,
    fromTag: MEDIA_TAG.trunk,
    toTag: MEDIA_TAG.browser,
    sdp: textBody(phoneAnswer),
    toward: 'trunk',
  });
}

/**
 * A phone took the customer's call: the carrier gets a 200 with `sdp` (repeated over UDP until
 * its ACK), the carrier leg becomes a dialog the edge is the UAS of, and the call is answered.
 * Whether the phone was rung directly or offered by a queue, the carrier sees the same answer.
 */
export function acceptCarrier(
  host: BridgeHost,
  call: BridgedCall,
  held: CarrierInviteHeld,
  sdp: string,
): void {
  const { request, transaction, connection } = held;
  const ok = buildResponse(request, 200, 'OK', {
    toTag: held.tag,
    headers: [
      ...request.headers.getAll('record-route').map((value) => ['Record-Route', value] as const),
      ['Contact', edgeContact(host.context, connection)],
      ['Allow', BRIDGE_ALLOW],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  });
  transaction.respond(ok);
  call.sdpToCarrier = sdp;
  const carrier = new CarrierLeg(
    request.headers.get('call-id') ?? '',
    withTag(request.headers.get('to') ?? '', held.tag),
    request.headers.get('from') ?? '',
    remoteTargetOf(request, request.uri),
    connection,
    0,
  );
  carrier.routes = [...request.headers.getAll('record-route')];
  call.carrier = carrier;
  call.stopRepeating = repeatUntilAck(transaction, ok);
  host.carrierEstablished(call);
  host.context.dialogs.setState(call.dialog, 'answered');
  call.dialog.record.answered();
}
