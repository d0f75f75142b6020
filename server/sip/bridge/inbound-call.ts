import type { Disposition } from '../../../contracts/calls';
import type { MediaSide } from '../../media/media-bridge';
import { reply } from '../edge-context';
import type { DialogSide } from '../dialogs/call-dialog';
import { buildResponse } from '../message/build-response';
import { contactOf, toTagOf } from '../message/message-fields';
import { generateBranch } from '../message/identifiers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import { assertIdentity } from '../proxy/asserted-identity';
import { ANSWERED_ELSEWHERE, bestFinalStatus, dispositionForStatus } from '../proxy/call-outcome';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { EDGE_USER_AGENT } from '../trunks/uac-request';
import { AgentOffers } from './agent-media';
import { CarrierLeg, MEDIA_TAG, repeatUntilAck, type BridgedCall } from './bridged-call';
import type { BridgeHost, RingTarget } from './bridge-host';
import { mediaSentence } from './outbound-call';
import { edgeContact, legRequest, remoteTargetOf, textBody, withTag } from './ua-leg';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/** A phone an inbound call rings: a registered binding (browser or desk phone) and its user's profile. */
interface Branch {
  readonly target: RingTarget;
  transaction: InviteClientTransaction | null;
  provisional: boolean;
  done: boolean;
  status: number | null;
  reason: string;
  cancelWanted: boolean;
  cancelSent: boolean;
  /** The Reason header of its CANCEL (another phone answered). */
  cancelReason?: string;
}

/**
 * A customer's call from a carrier to an assigned number (the call is decided and registered):
 * the carrier's offer rewritten for browsers and for desk phones (AgentOffers), one INVITE per
 * phone with its kind's offer (the first 2xx wins, the others are cancelled as answered elsewhere), the winner's answer rewritten for the carrier and
 * sent in a 200 that is repeated over UDP until the carrier's ACK.
 */
export class InboundCall {
  readonly #branches: Branch[] = [];
  #winner: Branch | null = null;
  #finished = false;
  #rang = false;
  #timer: NodeJS.Timeout | null = null;
  /** The edge's To tag on the carrier leg. */
  readonly #carrierTag: string;
  /** The carrier's offer for browsers and for desk phones. */
  readonly #offers: AgentOffers;

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly request: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly connection: SipConnection,
    private readonly targets: readonly RingTarget[],
    carrierTag: string,
  ) {
    this.#carrierTag = carrierTag;
    this.#offers = new AgentOffers(host.media, call, textBody(request));
  }

  async start(): Promise<void> {
    const { context } = this.host;
    context.cancellables.set(this.transaction, () =>
      this.#giveUp(487, 'Request Terminated', 'Cancelled by the customer'),
    );
    this.#timer = setTimeout(() => this.#giveUp(480, 'No answer', 'No answer'), context.config.sipNoAnswerMs);
    let offers: Map<MediaSide, string>;
    try {
      offers = await this.#offers.offers(this.targets.map((target) => target.media));
    } catch (error) {
      this.#fail(503, mediaSentence(error), 'failed');
      return;
    }
    if (this.#finished) return;
    for (const target of this.targets) {
      const branch: Branch = {
        target,
        transaction: null,
        provisional: false,
        done: false,
        status: null,
        reason: '',
        cancelWanted: false,
        cancelSent: false,
      };
      this.#branches.push(branch);
    }
    for (const branch of this.#branches) this.#send(branch, offers.get(branch.target.media) ?? '');
  }

  /** The server is stopping: the call is refused and anything ringing cancelled. */
  abort(): void {
    this.#giveUp(503, 'The server is stopping', 'The server stopped');
  }

  /** A phone's connection closed: its branch fails; the carrier's (TCP) closing gives up the call. */
  connectionClosed(connection: SipConnection): void {
    if (connection === this.connection) this.#giveUp(487, 'Request Terminated', 'The carrier disconnected');
    for (const branch of this.#branches)
      if (!branch.done && branch.target.binding.connection === connection)
        this.#branchFailed(branch, 480, '');
  }

  #send(branch: Branch, offer: string): void {
    const { context } = this.host;
    const { dialog } = this.call;
    const { binding } = branch.target;
    const invite = createRequest(
      'INVITE',
      binding.contactUri,
      [
        ['Via', context.address.via(generateBranch(), binding.connection)],
        ['Max-Forwards', '70'],
        ['From', dialog.fromHeader],
        ['To', dialog.toHeader],
        ['Call-ID', dialog.callId],
        ['CSeq', '1 INVITE'],
        ['Contact', edgeContact(context, binding.connection)],
        ['Allow', ALLOW],
        ['User-Agent', EDGE_USER_AGENT],
        ['Content-Type', 'application/sdp'],
      ],
      offer,
    );
    assertIdentity(invite, dialog.parties.caller, context.config.sipDomain);
    try {
      const transaction = context.layer.sendRequest(invite, binding.connection, {
        onProvisional: (response) => this.#provisional(branch, response),
        onFinal: (response) => {
          if (response.status >= 200 && response.status < 300)
            void this.#answered(branch, response).catch((error: unknown) => this.#crash(error));
          else this.#branchFailed(branch, response.status, response.reason);
        },
        onTimeout: () => this.#branchFailed(branch, 408, ''),
        onTransportError: () => this.#branchFailed(branch, 480, ''),
      });
      if (transaction.kind === 'invite') branch.transaction = transaction;
    } catch (error) {
      context.log.warn('SIP edge: could not ring a phone for a trunk call', error);
      this.#branchFailed(branch, 500, '');
    }
  }

  #provisional(branch: Branch, response: SipResponse): void {
    if (branch.done) return;
    branch.provisional = true;
    if (branch.cancelWanted) return this.#cancel(branch);
    if (this.#finished || response.status === 100) return;
    const tag = toTagOf(response);
    const { dialog } = this.call;
    if (tag !== null && !dialog.early.has(tag)) dialog.early.set(tag, this.#phoneSide(branch, response, tag));
    if (response.status < 180 || this.#rang) return;
    this.#rang = true;
    this.transaction.respond(
      buildResponse(this.request, 180, 'Ringing', {
        toTag: this.#carrierTag,
        headers: [['Contact', edgeContact(this.host.context, this.connection)]],
      }),
    );
    this.host.context.dialogs.setState(dialog, 'ringing');
  }

  #phoneSide(branch: Branch, response: SipResponse, tag: string): DialogSide {
    const { binding } = branch.target;
    return {
      role: 'callee',
      userId: binding.userId,
      username: binding.username,
      connection: binding.connection,
      contactKey: binding.contactKey,
      contactUri: contactOf(response)?.uri ?? binding.contactUri,
      tag,
      cseq: 0,
      graceTimer: null,
    };
  }

  async #answered(branch: Branch, response: SipResponse): Promise<void> {
    const { context } = this.host;
    const { dialog } = this.call;
    const tag = toTagOf(response) ?? '';
    if (branch.done) {
      // The winner's 2xx again (our ACK was lost): ACK again.
      if (this.#winner === branch) this.#ackPhone(branch, response, tag);
      return;
    }
    branch.done = true;
    branch.status = response.status;
    if (this.#finished || this.#winner) {
      // Too late: that phone is hung up at once.
      this.#ackPhone(branch, response, tag);
      this.#byePhone(branch, response, tag);
      return;
    }
    this.#winner = branch;
    const side = dialog.early.get(tag) ?? this.#phoneSide(branch, response, tag);
    side.contactUri = remoteTargetOf(response, side.contactUri);
    dialog.callee = side;
    dialog.calleeProfileId = branch.target.profileId;
    dialog.parties.callee = branch.target.party;
    dialog.early.clear();
    this.#ackPhone(branch, response, tag);
    for (const other of this.#branches)
      if (other !== branch && !other.done) this.#cancel(other, ANSWERED_ELSEWHERE);
    for (const unused of this.#offers.answeredBy(branch.target.media)) this.host.deleteMedia(unused);
    let sdp: string;
    try {
      sdp = await this.host.media.answer({
        callId: this.call.mediaId,
        fromTag: MEDIA_TAG.trunk,
        toTag: MEDIA_TAG.browser,
        sdp: textBody(response),
        toward: 'trunk',
      });
    } catch (error) {
      this.#fail(503, mediaSentence(error), 'failed', 'SIP;cause=488;text="No media"');
      return;
    }
    // The customer hung up meanwhile: #giveUp ended the call and hung up this phone.
    if (this.#finished || this.call.ended) return;
    this.#finish();
    const ok = buildResponse(this.request, 200, 'OK', {
      toTag: this.#carrierTag,
      headers: [
        ...this.request.headers.getAll('record-route').map((value) => ['Record-Route', value] as const),
        ['Contact', edgeContact(context, this.connection)],
        ['Allow', ALLOW],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    this.transaction.respond(ok);
    this.call.sdpToCarrier = sdp;
    const carrier = new CarrierLeg(
      this.request.headers.get('call-id') ?? '',
      withTag(this.request.headers.get('to') ?? '', this.#carrierTag),
      this.request.headers.get('from') ?? '',
      remoteTargetOf(this.request, this.request.uri),
      this.connection,
      0,
    );
    carrier.routes = [...this.request.headers.getAll('record-route')];
    this.call.carrier = carrier;
    this.call.stopRepeating = repeatUntilAck(this.transaction, ok);
    this.host.carrierEstablished(this.call);
    context.dialogs.setState(dialog, 'answered');
    dialog.record.answered();
  }

  /** ACK for a phone's 2xx (the edge is the UAC on the browser leg). */
  #ackPhone(branch: Branch, response: SipResponse, tag: string): void {
    const { context } = this.host;
    const ack = legRequest(context, this.#legOf(branch, response, tag), 'ACK', { cseq: 1 });
    if (ack) context.layer.sendStateless(ack, branch.target.binding.connection);
  }

  #byePhone(branch: Branch, response: SipResponse, tag: string): void {
    const { context } = this.host;
    const bye = legRequest(context, this.#legOf(branch, response, tag), 'BYE', { cseq: 2 });
    if (!bye) return;
    try {
      context.layer.sendRequest(bye, branch.target.binding.connection);
    } catch (error) {
      context.log.warn('SIP edge: could not hang up a late answer', error);
    }
  }

  /** The browser leg of one branch, for its ACK or a BYE. */
  #legOf(branch: Branch, response: SipResponse, tag: string) {
    const { dialog } = this.call;
    return {
      callId: dialog.callId,
      local: dialog.fromHeader,
      remote: withTag(dialog.toHeader, tag),
      target: remoteTargetOf(response, branch.target.binding.contactUri),
      routes: [],
      connection: branch.target.binding.connection,
      nextCseq: () => 2,
    };
  }

  #branchFailed(branch: Branch, status: number, reason: string): void {
    if (branch.done) return;
    branch.done = true;
    branch.status = status;
    branch.reason = reason;
    this.#decide();
  }

  /**
   * The user's external numbers (mobiles) ring beside the phones (ExternalNumbers): while one may
   * still answer, the phones' failures wait for it.
   */
  externalPending = false;

  /** A mobile answered first: the phones stop (answered elsewhere); the carrier's answer is the taker's. */
  takeOver(): boolean {
    if (this.#finished || this.#winner) return false;
    this.#finish();
    for (const branch of this.#branches) if (!branch.done) this.#cancel(branch, ANSWERED_ELSEWHERE);
    this.call.dialog.early.clear();
    return true;
  }

  /** No mobile rings any more: the phones decide alone. */
  externalsOver(): void {
    this.externalPending = false;
    this.#decide();
  }

  /** Every phone failed (and no mobile may still answer): the carrier gets the best failure. */
  #decide(): void {
    if (this.#finished || this.#winner || this.externalPending || this.#branches.length === 0) return;
    if (this.#branches.some((b) => !b.done)) return;
    const best = bestFinalStatus(this.#branches.map((b) => b.status ?? 480));
    const sentence =
      best === 486 || best === 600
        ? 'Busy Here'
        : best === 603
          ? 'Decline'
          : (this.#branches.find((b) => b.status === best)?.reason ?? '') || 'Temporarily Unavailable';
    this.#fail(best === 408 ? 480 : best, sentence, dispositionForStatus(best));
  }

  /** The carrier's CANCEL, no answer in time, or the carrier gone: every phone stops ringing. */
  #giveUp(status: number, reason: string, recordReason: string): void {
    if (this.#finished) return;
    this.#finish();
    reply(this.transaction, status, reason);
    for (const branch of this.#branches) if (!branch.done) this.#cancel(branch);
    const answered = this.#winner !== null;
    this.host.finish(this.call, {
      disposition: dispositionForStatus(status),
      reason: recordReason,
      ...(answered ? { byeBrowser: 'SIP;cause=487;text="Cancelled"' } : {}),
    });
  }

  #fail(status: number, reason: string, disposition: Disposition, byeBrowser?: string): void {
    if (this.#finished) return;
    this.#finish();
    reply(this.transaction, status, reason);
    for (const branch of this.#branches) if (!branch.done) this.#cancel(branch);
    this.host.finish(this.call, { disposition, reason, ...(byeBrowser ? { byeBrowser } : {}) });
  }

  #cancel(branch: Branch, reason?: string): void {
    branch.cancelWanted = true;
    if (reason) branch.cancelReason = reason;
    if (branch.cancelSent || !branch.provisional || !branch.transaction) return;
    branch.cancelSent = true;
    try {
      this.host.context.layer.cancel(branch.transaction, {}, branch.cancelReason);
    } catch (error) {
      this.host.context.log.warn('SIP edge: could not send CANCEL', error);
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
    this.#fail(500, 'Server Internal Error', 'failed', 'SIP;cause=500;text="Server error"');
  }
}
