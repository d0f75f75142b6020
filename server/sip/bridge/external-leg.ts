import type { EdgeContext } from '../edge-context';
import { cseqOf, toTagOf } from '../message/message-fields';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import type { SipConnection } from '../transport/transport';
import type { TrunkConfig, TrunkRouter } from '../trunks/trunk-config';
import { CarrierLeg } from './bridged-call';
import { carrierInvite, sendCarrierInvite } from './carrier-invite';
import { refusalSentence, triesNextTrunk, trunkFailure } from './carrier-answers';
import { legRequest, remoteTargetOf, textBody } from './ua-leg';

/** What an external number's leg tells the call that rings it. */
export interface ExternalLegHooks {
  /** The mobile rings (the carrier sent 180 or 183). */
  ringing(): void;
  /** The carrier answered (its 2xx is ACKed): the leg as a dialog, and the carrier's SDP answer. */
  answered(leg: CarrierLeg, sdp: string): void;
  /** Not reached: no trunk carried it, the number refused, or it was cancelled; `reason` is a sentence. */
  failed(status: number, reason: string): void;
}

/**
 * One ringing of a user's external number (a mobile) through the trunks that route it: an
 * INVITE with an offer already rewritten for plain RTP, to each trunk in turn until one carries
 * it (failover on 5xx, 408, timeout or transport error; one digest challenge answered per
 * trunk). The first 2xx is ACKed and handed to the call; `cancel` sends CANCEL once the carrier
 * sent a provisional answer, and a 2xx that arrives after it is ACKed and hung up at once.
 */
export class ExternalLeg {
  #index = -1;
  #pending: InviteClientTransaction | null = null;
  #sent: SipRequest | null = null;
  #leg: CarrierLeg | null = null;
  #challenged = false;
  #provisional = false;
  #rang = false;
  #cancelWanted = false;
  #cancelSent = false;
  #cancelReason: string | undefined;
  #answered = false;
  #over = false;
  #lastFailure = '';

  constructor(
    private readonly context: EdgeContext,
    private readonly trunks: TrunkRouter,
    readonly e164: string,
    private readonly routes: readonly TrunkConfig[],
    private readonly offer: string,
    private readonly hooks: ExternalLegHooks,
  ) {}

  /** The trunk the INVITE went to last. */
  get trunk(): TrunkConfig | null {
    return this.routes[this.#index] ?? null;
  }

  /** Still ringing (neither answered nor failed). */
  get pending(): boolean {
    return !this.#over;
  }

  start(): Promise<void> {
    return this.#next();
  }

  /** Stops the ringing (CANCEL with `reason` as its Reason header); nothing more is reported. */
  cancel(reason?: string): void {
    if (this.#over) return;
    this.#over = true;
    this.#cancelWanted = true;
    this.#cancelReason = reason;
    this.#sendCancel();
  }

  /** Hangs up a leg whose answer came too late for the call (its 2xx is ACKed already). */
  hangUp(reason: string): void {
    const leg = this.#leg;
    if (!leg || !this.#answered) return;
    const bye = legRequest(this.context, leg, 'BYE', { headers: [['Reason', reason]] });
    if (bye) this.#sendQuietly(bye, leg.connection);
  }

  async #next(): Promise<void> {
    this.#index += 1;
    const trunk = this.routes[this.#index];
    if (!trunk) return this.#fail(503, `No trunk could carry the call to ${this.e164}: ${this.#lastFailure}`);
    this.#challenged = false;
    this.#provisional = false;
    let connection: SipConnection;
    try {
      connection = await this.trunks.connectionFor(trunk);
    } catch (error) {
      this.#lastFailure = trunkFailure(
        trunk.name,
        null,
        `could not be reached (${(error as Error).message})`,
      );
      if (!this.#over) await this.#next();
      return;
    }
    if (this.#over) return;
    const invite = carrierInvite(this.context, trunk, connection, this.e164, this.offer);
    this.#leg = new CarrierLeg(
      invite.headers.get('call-id') ?? '',
      invite.headers.get('from') ?? '',
      invite.headers.get('to') ?? '',
      invite.uri,
      connection,
    );
    this.#send(trunk, invite);
  }

  #send(trunk: TrunkConfig, invite: SipRequest): void {
    const leg = this.#leg;
    if (!leg) return;
    this.#sent = invite;
    leg.cseq = cseqOf(invite)?.seq ?? 1;
    const pending = sendCarrierInvite(this.context, trunk, leg.connection, invite, {
      provisional: (response) => this.#onProvisional(response),
      final: (response) => this.#onFinal(trunk, response),
      failed: (failure) => this.#trunkFailed(failure),
    });
    if (pending) this.#pending = pending;
  }

  #trunkFailed(failure: string): void {
    this.#pending = null;
    if (this.#over || this.#answered) return;
    this.#lastFailure = failure;
    void this.#next().catch((error: unknown) => this.#crash(error));
  }

  #onProvisional(response: SipResponse): void {
    if (response.status === 100 && !this.#cancelWanted) return;
    this.#provisional = true;
    if (this.#cancelWanted) return this.#sendCancel();
    const leg = this.#leg;
    if (leg && toTagOf(response)) leg.remote = response.headers.get('to') ?? leg.remote;
    if (response.status >= 180 && !this.#rang) {
      this.#rang = true;
      this.hooks.ringing();
    }
  }

  #onFinal(trunk: TrunkConfig, response: SipResponse): void {
    const { status } = response;
    if (status >= 200 && status < 300) return this.#onAnswer(response);
    this.#pending = null;
    if (this.#over || this.#answered) return;
    if ((status === 401 || status === 407) && !this.#challenged && this.#sent) {
      const retry = this.trunks.answerChallenge(trunk, this.#sent, response);
      if (retry) {
        this.#challenged = true;
        this.#provisional = false;
        return this.#send(trunk, retry);
      }
    }
    if (triesNextTrunk(status)) {
      this.#lastFailure = trunkFailure(trunk.name, status, response.reason);
      void this.#next().catch((error: unknown) => this.#crash(error));
      return;
    }
    this.#fail(status, refusalSentence(this.e164, status, response.reason));
  }

  #onAnswer(response: SipResponse): void {
    const leg = this.#leg;
    if (!leg) return;
    const first = !this.#answered;
    if (first) {
      this.#answered = true;
      this.#pending = null;
      leg.remote = response.headers.get('to') ?? leg.remote;
      leg.target = remoteTargetOf(response, leg.target);
      leg.routes = [...response.headers.getAll('record-route')].reverse();
    }
    const ack = legRequest(this.context, leg, 'ACK', { cseq: leg.cseq });
    if (ack) this.context.layer.sendStateless(ack, leg.connection);
    if (!first) return;
    if (this.#over) {
      // Cancelled meanwhile: the carrier took the call anyway, so it is hung up at once.
      return this.hangUp(this.#cancelReason ?? 'SIP;cause=487;text="Cancelled"');
    }
    this.#over = true;
    this.hooks.answered(leg, textBody(response));
  }

  #sendCancel(): void {
    if (this.#cancelSent || !this.#provisional || !this.#pending) return;
    this.#cancelSent = true;
    try {
      this.context.layer.cancel(this.#pending, {}, this.#cancelReason);
    } catch (error) {
      this.context.log.warn('SIP edge: could not cancel the call to an external number', error);
    }
  }

  #sendQuietly(request: SipRequest, connection: SipConnection): void {
    try {
      this.context.layer.sendRequest(request, connection);
    } catch (error) {
      this.context.log.warn(`SIP edge: could not send ${request.method} to an external number`, error);
    }
  }

  #fail(status: number, reason: string): void {
    if (this.#over) return;
    this.#over = true;
    this.hooks.failed(status, reason);
  }

  #crash(error: unknown): void {
    this.context.log.error('SIP edge: the call to an external number failed', error);
    this.#fail(500, `The call to ${this.e164} failed because of a server error`);
  }
}
