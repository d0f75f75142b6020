import type { MediaBridge, MediaSide } from '../../media/media-bridge';
import { reply, type EdgeContext } from '../edge-context';
import type { CallDialog } from '../dialogs/call-dialog';
import { buildResponse } from '../message/build-response';
import { callIdOf, fromTagOf, toTagOf } from '../message/message-fields';
import { parseNameAddr, tagOf } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { repeatUntilAck, type CarrierLeg } from './bridged-call';
import { mediaSentence } from './outbound-call';
import { edgeContact, hasSdp, legRequest, remoteTargetOf, textBody, type UaLeg } from './ua-leg';

/** rtpengine's tags in an external number's media: the party that called, and the mobile. */
export const EXTERNAL_TAG = { caller: 'caller', mobile: 'mobile' } as const;
type End = keyof typeof EXTERNAL_TAG;

/** Headers an in-dialog request keeps when the edge sends it on in the other leg. */
const PASSED_HEADERS = ['content-disposition', 'info-package', 'event', 'subscription-state', 'reason'];

function tagIn(header: string): string | null {
  const addr = parseNameAddr(header);
  return addr ? tagOf(addr) : null;
}

/** How an answered external number's call ends (who hung up, what the record says). */
export interface ExternalEnd {
  reason: string;
  /** Reason header values of the BYEs the edge sends; omitted: that leg gets none. */
  byeCaller?: string;
  byeMobile?: string;
}

/**
 * A call a user took on an external number: the caller's leg (a carrier's or a colleague's
 * phone, the edge its user agent) and the mobile's leg through a trunk, their media joined by
 * one rtpengine call. BYE from either ends both; a re-INVITE (hold, an ICE restart) is answered
 * by the edge from rtpengine (the sender's new offer against the other side's last answer), so
 * the other leg hears nothing of it; INFO (DTMF) goes on to the other leg. The CallDialog stays
 * in the registry while it lasts: the callee's profile's channel, the live call, the record.
 */
export class ExternalBridge {
  ended = false;
  /** Stops repeating the edge's 200 to the caller (UDP) once the caller ACKed it. */
  stopRepeating: (() => void) | null = null;
  /** The SDP each end last got from the edge, and the last one each sent. */
  readonly #sent: Record<End, string>;
  readonly #received: Record<End, string>;

  constructor(
    private readonly context: EdgeContext,
    private readonly media: MediaBridge,
    readonly dialog: CallDialog,
    readonly caller: CarrierLeg,
    readonly mobile: CarrierLeg,
    readonly mediaId: string,
    /** What the caller speaks: WebRTC (a browser) or plain RTP (a carrier, a desk phone). */
    private readonly callerMedia: MediaSide,
    sdp: { toCaller: string; fromCaller: string; toMobile: string; fromMobile: string },
    private readonly onEnd: (bridge: ExternalBridge, end: ExternalEnd) => void,
  ) {
    this.#sent = { caller: sdp.toCaller, mobile: sdp.toMobile };
    this.#received = { caller: sdp.fromCaller, mobile: sdp.fromMobile };
  }

  /** Which end sent an in-dialog request (its Call-ID and both tags), or null: not this call's. */
  endOf(request: SipRequest): End | null {
    const callId = callIdOf(request);
    const from = fromTagOf(request);
    const to = toTagOf(request);
    for (const end of ['caller', 'mobile'] as const) {
      const leg = this[end];
      if (leg.callId === callId && tagIn(leg.remote) === from && tagIn(leg.local) === to) return end;
    }
    return null;
  }

  async handle(
    from: End,
    request: SipRequest,
    transaction: ServerTransaction | null,
    connection: SipConnection,
  ): Promise<void> {
    if (request.method === 'ACK') {
      if (from === 'caller') {
        this.stopRepeating?.();
        this.stopRepeating = null;
      }
      return;
    }
    if (!transaction) return;
    if (from === 'mobile' && connection.remoteAddress !== this.mobile.connection.remoteAddress)
      return reply(transaction, 403, 'You are not a party to this call');
    switch (request.method) {
      case 'BYE':
        reply(transaction, 200, 'OK');
        return this.end(
          from === 'caller'
            ? { reason: 'Ended by the caller', byeMobile: 'SIP;cause=200;text="Call completed"' }
            : {
                reason: `Ended on ${this.dialog.parties.callee.displayName}'s external number`,
                byeCaller: 'SIP;cause=200;text="Call completed"',
              },
        );
      case 'INVITE':
        return this.#reinvite(from, request, transaction);
      case 'OPTIONS':
        return reply(transaction, 200, 'OK', [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE']]);
      case 'UPDATE':
        if (hasSdp(request)) return reply(transaction, 488, 'Not Acceptable Here');
        return reply(transaction, 200, 'OK');
      case 'REFER':
        return reply(transaction, 501, 'A call on an external number cannot be transferred');
      default:
        return this.#pass(from, request, transaction);
    }
  }

  /** Ends the call once: BYEs as asked, the dialog and its record ended, rtpengine's call deleted. */
  end(end: ExternalEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.stopRepeating?.();
    this.stopRepeating = null;
    if (end.byeCaller) this.#bye(this.caller, end.byeCaller);
    if (end.byeMobile) this.#bye(this.mobile, end.byeMobile);
    this.context.dialogs.end(this.dialog, 'answered', end.reason);
    this.onEnd(this, end);
  }

  #bye(leg: UaLeg, reason: string): void {
    const bye = legRequest(this.context, leg, 'BYE', { headers: [['Reason', reason]] });
    if (!bye || !leg.connection) return;
    try {
      this.context.layer.sendRequest(bye, leg.connection);
    } catch (error) {
      this.context.log.warn('SIP edge: could not send BYE in a call on an external number', error);
    }
  }

  /** A re-INVITE answered here: rtpengine takes the new offer and answers it with the other end's last SDP. */
  async #reinvite(from: End, request: SipRequest, transaction: ServerTransaction): Promise<void> {
    if (transaction.kind !== 'invite') return;
    const leg = this[from];
    leg.target = remoteTargetOf(request, leg.target);
    const respond = (sdp: string) => {
      const ok = buildResponse(request, 200, 'OK', {
        headers: [
          ['Contact', edgeContact(this.context, transaction.connection)],
          ['Content-Type', 'application/sdp'],
        ],
        body: sdp,
      });
      transaction.respond(ok);
      this.#sent[from] = sdp;
      if (from === 'caller') {
        this.stopRepeating?.();
        this.stopRepeating = repeatUntilAck(transaction, ok);
      }
    };
    if (!hasSdp(request)) return respond(this.#sent[from]);
    const other: End = from === 'caller' ? 'mobile' : 'caller';
    const sideOf = (end: End): MediaSide => (end === 'caller' ? this.callerMedia : 'trunk');
    try {
      await this.media.offer({
        callId: this.mediaId,
        fromTag: EXTERNAL_TAG[from],
        sdp: textBody(request),
        toward: sideOf(other),
      });
      const sdp = await this.media.answer({
        callId: this.mediaId,
        fromTag: EXTERNAL_TAG[from],
        toTag: EXTERNAL_TAG[other],
        sdp: this.#received[other],
        toward: sideOf(from),
      });
      this.#received[from] = textBody(request);
      if (!this.ended) respond(sdp);
    } catch (error) {
      reply(transaction, 488, mediaSentence(error));
    }
  }

  /** INFO (DTMF) and the like: sent on in the other leg as the edge's request, its final status back. */
  #pass(from: End, request: SipRequest, transaction: ServerTransaction): void {
    const leg = from === 'caller' ? this.mobile : this.caller;
    const headers = PASSED_HEADERS.flatMap((name) =>
      request.headers.getAll(name).map((value) => [name, value] as const),
    );
    const out = legRequest(this.context, leg, request.method, {
      body: textBody(request),
      contentType: request.headers.get('content-type') ?? 'text/plain',
      headers,
    });
    if (!out) return reply(transaction, 480, 'The other party cannot be reached');
    try {
      this.context.layer.sendRequest(out, leg.connection, {
        onFinal: (response) => reply(transaction, response.status, response.reason),
        onTimeout: () => reply(transaction, 408, 'Request Timeout'),
        onTransportError: () => reply(transaction, 480, 'The other party cannot be reached'),
      });
    } catch (error) {
      this.context.log.warn('SIP edge: could not pass a request in a call on an external number', error);
      reply(transaction, 500, 'Server Internal Error');
    }
  }
}
