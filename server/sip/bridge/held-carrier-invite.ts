import type { Disposition } from '../../../contracts/calls';
import { reply } from '../edge-context';
import { buildResponse } from '../message/build-response';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { dispositionForStatus } from '../proxy/call-outcome';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { BridgeHost } from './bridge-host';
import { CarrierLeg, MEDIA_TAG, repeatUntilAck, type BridgedCall } from './bridged-call';
import { BRIDGE_ALLOW } from './phone-invite';
import { edgeContact, remoteTargetOf, textBody, withTag } from './ua-leg';

/** How a held customer's call ends when no phone keeps it (see HeldCarrierInvite.end). */
export interface HeldCallEnding {
  /** The record's disposition; by default the one the status means. */
  readonly disposition?: Disposition;
  /** The record's reason; by default the sentence the carrier gets. */
  readonly recordReason?: string;
  /** A Reason header for the BYE to a phone that answered meanwhile; omitted: no BYE. */
  readonly byeBrowser?: string;
}

/**
 * A customer's INVITE from a carrier that the edge answers itself (under its To tag `tag`) while
 * it rings the phones of the number's user or waits in the number's queue. The carrier hears the
 * same 180, 200 and refusals either way, so they are said here once.
 */
export class HeldCarrierInvite {
  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    readonly request: SipRequest,
    readonly transaction: InviteServerTransaction,
    readonly connection: SipConnection,
    private readonly tag: string,
  ) {}

  /** Tells the carrier the call rings (180 with the edge's tag). */
  ringing(): void {
    this.transaction.respond(
      buildResponse(this.request, 180, 'Ringing', {
        toTag: this.tag,
        headers: [['Contact', edgeContact(this.host.context, this.connection)]],
      }),
    );
    this.host.context.dialogs.setState(this.call.dialog, 'ringing');
  }

  /** rtpengine's answer toward the carrier for the answering phone's SDP (the customer's offer made for it). */
  answerFor(phoneAnswer: SipResponse): Promise<string> {
    return this.host.media.answer({
      callId: this.call.mediaId,
      fromTag: MEDIA_TAG.trunk,
      toTag: MEDIA_TAG.browser,
      sdp: textBody(phoneAnswer),
      toward: 'trunk',
    });
  }

  /**
   * A phone took the call: the carrier gets a 200 with `sdp` (repeated over UDP until its ACK),
   * the carrier leg becomes a dialog the edge is the UAS of, and the call is answered.
   */
  accept(sdp: string): void {
    const { host, call, request, transaction, connection } = this;
    const ok = buildResponse(request, 200, 'OK', {
      toTag: this.tag,
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
      withTag(request.headers.get('to') ?? '', this.tag),
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

  /** The call ends before a phone kept it: the carrier gets `status reason`, the call is finished. */
  end(status: number, reason: string, ending: HeldCallEnding = {}): void {
    reply(this.transaction, status, reason);
    const { byeBrowser } = ending;
    this.host.finish(this.call, {
      disposition: ending.disposition ?? dispositionForStatus(status),
      reason: ending.recordReason ?? reason,
      ...(byeBrowser ? { byeBrowser } : {}),
    });
  }

  /**
   * The customer gave up (the carrier's CANCEL, no answer in time, the carrier gone): `status
   * reason` to the carrier, and a phone that `answered` meanwhile is hung up as cancelled.
   */
  givenUp(status: number, reason: string, recordReason: string, answered: boolean): void {
    const byeBrowser = answered ? 'SIP;cause=487;text="Cancelled"' : undefined;
    this.end(status, reason, { recordReason, byeBrowser });
  }
}
