import type { Disposition } from '../../../contracts/calls';
import { MediaBridgeError } from '../../media/media-bridge';
import { reply } from '../edge-context';
import { cseqOf, toTagOf } from '../message/message-fields';
import { buildResponse } from '../message/build-response';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { assertIdentity } from '../proxy/asserted-identity';
import { dispositionForStatus } from '../proxy/call-outcome';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { TrunkConfig } from '../trunks/trunk-config';
import { CarrierLeg, MEDIA_TAG, repeatUntilAck, type BridgedCall } from './bridged-call';
import type { BridgeHost } from './bridge-host';
import { carrierInvite, CARRIER_ALLOW, sendCarrierInvite } from './carrier-invite';
import { refusalSentence, triesNextTrunk, trunkFailure } from './carrier-answers';
import { edgeContact, hasSdp, legRequest, remoteTargetOf, textBody } from './ua-leg';

/**
 * An agent's call to a customer's number from a browser or a desk phone (the browser leg is
 * decided and the call registered; rtpengine speaks the phone's media, `call.agentMedia`):
 * the offer rewritten toward the trunk, an INVITE to each trunk in turn until one carries it
 * (failover on 5xx, 408, timeout or transport error; one digest challenge answered per trunk),
 * ringing and early media passed to the phone, the carrier's 2xx ACKed by the edge and its
 * answer rewritten for the phone. CANCEL, the no-answer timer and a dropped phone stop it.
 */
export class OutboundCall {
  #index = -1;
  #pending: InviteClientTransaction | null = null;
  #sent: SipRequest | null = null;
  #challenged = false;
  #provisional = false;
  #cancelWanted = false;
  #cancelSent = false;
  #rang = false;
  /** The carrier leg's 2xx arrived (its repeats are only ACKed again). */
  #carrierAnswered = false;
  /** The browser got its final answer (or the call was given up). */
  #finished = false;
  #timer: NodeJS.Timeout | null = null;
  #lastFailure = '';
  #offer = '';

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly request: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly connection: SipConnection,
    private readonly routes: readonly TrunkConfig[],
  ) {}

  async start(): Promise<void> {
    const { context, media } = this.host;
    context.cancellables.set(this.transaction, () =>
      this.#giveUp(487, 'Request Terminated', 'Cancelled by caller'),
    );
    this.#timer = setTimeout(() => this.#giveUp(408, 'No answer', 'No answer'), context.config.sipNoAnswerMs);
    try {
      this.#offer = await media.offer({
        callId: this.call.mediaId,
        fromTag: MEDIA_TAG.browser,
        sdp: textBody(this.request),
        toward: 'trunk',
      });
    } catch (error) {
      this.#fail(503, mediaSentence(error), 'failed');
      return;
    }
    if (this.#finished) return;
    this.call.sdpToCarrier = this.#offer;
    await this.#next();
  }

  /** The server is stopping: the call is refused and anything ringing cancelled. */
  abort(): void {
    this.#giveUp(503, 'The server is stopping', 'The server stopped');
  }

  /** The phone's connection closed before the answer: the carrier leg is cancelled. */
  connectionClosed(connection: SipConnection): void {
    if (connection === this.connection) this.#giveUp(487, 'Request Terminated', 'Caller disconnected');
  }

  async #next(): Promise<void> {
    const trunks = this.host.trunks();
    this.#index += 1;
    const trunk = this.routes[this.#index];
    if (!trunk || !trunks) {
      this.#fail(503, `No trunk could carry the call: ${this.#lastFailure}`, 'failed');
      return;
    }
    this.#challenged = false;
    this.#provisional = false;
    this.call.trunk = trunk;
    if (this.#index > 0) this.host.trunkChanged(this.call);
    let connection: SipConnection;
    try {
      connection = await trunks.connectionFor(trunk);
    } catch (error) {
      this.#lastFailure = trunkFailure(
        trunk.name,
        null,
        `could not be reached (${(error as Error).message})`,
      );
      if (!this.#finished) await this.#next();
      return;
    }
    if (this.#finished) return;
    const invite = carrierInvite(this.host.context, trunk, connection, this.call.number, this.#offer);
    this.call.carrier = new CarrierLeg(
      invite.headers.get('call-id') ?? '',
      invite.headers.get('from') ?? '',
      invite.headers.get('to') ?? '',
      invite.uri,
      connection,
    );
    this.#send(trunk, invite);
  }

  #send(trunk: TrunkConfig, invite: SipRequest): void {
    const { context } = this.host;
    const carrier = this.call.carrier;
    if (!carrier) return;
    this.#sent = invite;
    carrier.cseq = cseqOf(invite)?.seq ?? 1;
    const pending = sendCarrierInvite(context, trunk, carrier.connection, invite, {
      provisional: (response) => this.#onProvisional(response),
      final: (response) => void this.#onFinal(trunk, response).catch((e: unknown) => this.#crash(e)),
      failed: (failure) => this.#trunkFailed(failure),
    });
    if (pending) this.#pending = pending;
  }

  #trunkFailed(failure: string): void {
    this.#pending = null;
    if (this.#finished || this.#carrierAnswered) return;
    this.#lastFailure = failure;
    void this.#next().catch((e: unknown) => this.#crash(e));
  }

  #onProvisional(response: SipResponse): void {
    if (this.#finished) {
      this.#provisional = true;
      this.#cancelCarrier();
      return;
    }
    if (response.status === 100) return;
    this.#provisional = true;
    if (this.#cancelWanted) return this.#cancelCarrier();
    const carrier = this.call.carrier;
    const tag = toTagOf(response);
    if (carrier && tag) carrier.remote = response.headers.get('to') ?? carrier.remote;
    if (response.status === 183 && hasSdp(response)) {
      void this.#earlyMedia(response).catch((e: unknown) => this.#crash(e));
      return;
    }
    if (response.status >= 180) this.#ring();
  }

  /** 180 to the phone, once. */
  #ring(): void {
    if (this.#rang || this.#finished) return;
    this.#rang = true;
    const { context } = this.host;
    const { dialog, customer } = this.call;
    dialog.early.set(customer.tag, customer);
    this.transaction.respond(
      buildResponse(this.request, 180, 'Ringing', {
        toTag: customer.tag,
        headers: [['Contact', edgeContact(context, this.connection)]],
      }),
    );
    context.dialogs.setState(dialog, 'ringing');
  }

  /** The carrier's early media (183 with SDP): its answer rewritten for the phone, as 183. */
  async #earlyMedia(response: SipResponse): Promise<void> {
    const { context, media } = this.host;
    const sdp = await media.answer({
      callId: this.call.mediaId,
      fromTag: MEDIA_TAG.browser,
      toTag: MEDIA_TAG.trunk,
      sdp: textBody(response),
      toward: this.call.agentMedia,
    });
    if (this.#finished) return;
    const { dialog, customer } = this.call;
    dialog.early.set(customer.tag, customer);
    this.#rang = true;
    this.transaction.respond(
      buildResponse(this.request, 183, 'Session Progress', {
        toTag: customer.tag,
        headers: [
          ['Contact', edgeContact(context, this.connection)],
          ['Content-Type', 'application/sdp'],
        ],
        body: sdp,
      }),
    );
    context.dialogs.setState(dialog, 'ringing');
  }

  async #onFinal(trunk: TrunkConfig, response: SipResponse): Promise<void> {
    const { status } = response;
    if (status >= 200 && status < 300) return this.#answered(response);
    this.#pending = null;
    if (this.#finished || this.#carrierAnswered) return;
    const trunks = this.host.trunks();
    if ((status === 401 || status === 407) && !this.#challenged && this.#sent && trunks) {
      const retry = trunks.answerChallenge(trunk, this.#sent, response);
      if (retry) {
        this.#challenged = true;
        this.#provisional = false;
        this.#send(trunk, retry);
        return;
      }
    }
    if (triesNextTrunk(status)) {
      this.#lastFailure = trunkFailure(trunk.name, status, response.reason);
      await this.#next();
      return;
    }
    if (status === 401 || status === 407) {
      this.#fail(503, `No trunk could carry the call: ${trunk.name} refused our credentials`, 'failed');
      return;
    }
    this.#fail(
      status,
      refusalSentence(this.call.number, status, response.reason),
      dispositionForStatus(status),
    );
  }

  /** The carrier answered: ACK (every repeat too), its answer rewritten for the phone, 200 to the phone. */
  async #answered(response: SipResponse): Promise<void> {
    const carrier = this.call.carrier;
    if (!carrier) return;
    const first = !this.#carrierAnswered;
    if (first) {
      this.#carrierAnswered = true;
      this.#pending = null;
      carrier.remote = response.headers.get('to') ?? carrier.remote;
      carrier.target = remoteTargetOf(response, carrier.target);
      carrier.routes = [...response.headers.getAll('record-route')].reverse();
    }
    this.#ack(carrier.cseq);
    if (!first) return;
    if (this.#finished || this.call.ended) {
      // Cancelled or timed out meanwhile: the call the carrier took is hung up at once.
      this.host.byeCarrier(this.call, 'SIP;cause=487;text="Cancelled"');
      return;
    }
    this.host.carrierEstablished(this.call);
    let sdp: string;
    try {
      sdp = await this.host.media.answer({
        callId: this.call.mediaId,
        fromTag: MEDIA_TAG.browser,
        toTag: MEDIA_TAG.trunk,
        sdp: textBody(response),
        toward: this.call.agentMedia,
      });
    } catch (error) {
      this.host.byeCarrier(this.call, 'SIP;cause=488;text="No media"');
      this.#fail(503, mediaSentence(error), 'failed');
      return;
    }
    if (this.#finished || this.call.ended) {
      this.host.byeCarrier(this.call, 'SIP;cause=487;text="Cancelled"');
      return;
    }
    this.#finish();
    const { context } = this.host;
    const { dialog, customer } = this.call;
    const ok = buildResponse(this.request, 200, 'OK', {
      toTag: customer.tag,
      headers: [
        ['Contact', edgeContact(context, this.connection)],
        ['Allow', CARRIER_ALLOW],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    const asserted = assertIdentity(ok, dialog.parties.callee, context.config.sipDomain);
    this.transaction.respond(asserted);
    // A desk phone over UDP: the 2xx is the edge's to repeat until the phone's ACK.
    this.call.stopRepeatingToAgent = repeatUntilAck(this.transaction, asserted);
    dialog.callee = customer;
    dialog.early.clear();
    context.dialogs.setState(dialog, 'answered');
    dialog.record.answered();
  }

  #ack(cseq: number): void {
    const carrier = this.call.carrier;
    if (!carrier) return;
    const ack = legRequest(this.host.context, carrier, 'ACK', { cseq });
    if (ack) this.host.context.layer.sendStateless(ack, carrier.connection);
  }

  /** A final refusal to the phone; the call ends. */
  #fail(status: number, reason: string, disposition: Disposition): void {
    if (this.#finished) return;
    this.#finish();
    reply(this.transaction, status, reason);
    this.host.finish(this.call, { disposition, reason });
  }

  /** CANCEL, no answer in time, or the phone gone: the carrier leg is cancelled. */
  #giveUp(status: number, reason: string, recordReason: string): void {
    if (this.#finished) return;
    this.#finish();
    reply(this.transaction, status, reason);
    this.#cancelCarrier();
    this.host.finish(this.call, { disposition: dispositionForStatus(status), reason: recordReason });
  }

  #cancelCarrier(): void {
    this.#cancelWanted = true;
    if (this.#cancelSent || !this.#provisional || !this.#pending) return;
    this.#cancelSent = true;
    try {
      this.host.context.layer.cancel(this.#pending);
    } catch (error) {
      this.host.context.log.warn('SIP edge: could not cancel a trunk call', error);
    }
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.host.context.cancellables.delete(this.transaction);
  }

  #crash(error: unknown): void {
    this.host.context.log.error('SIP edge: a trunk call failed', error);
    this.#cancelCarrier();
    if (this.#carrierAnswered) this.host.byeCarrier(this.call, 'SIP;cause=500;text="Server error"');
    this.#fail(500, 'The call could not be connected because of a server error', 'failed');
  }
}

/** A media bridge failure as the phone's sentence. */
export function mediaSentence(error: unknown): string {
  if (error instanceof MediaBridgeError) return error.message.replace(/\.$/, '');
  return `The media bridge failed: ${(error as Error).message.replace(/\.$/, '')}`;
}
