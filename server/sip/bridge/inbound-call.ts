import type { Disposition } from '../../../contracts/calls';
import type { MediaSide } from '../../media/media-bridge';
import { toTagOf } from '../message/message-fields';
import type { SipResponse } from '../message/sip-message';
import { ANSWERED_ELSEWHERE, dispositionForStatus } from '../proxy/call-outcome';
import { calleeSideOf } from '../proxy/call-parties';
import { cancelBranch, cancelRinging, forkBranch, forkOutcome, type ForkBranch } from '../proxy/fork-branch';
import type { SipConnection } from '../transport/transport';
import { AgentOffers } from './agent-media';
import type { BridgedCall } from './bridged-call';
import type { BridgeHost, RingTarget } from './bridge-host';
import type { HeldCarrierInvite } from './held-carrier-invite';
import { mediaSentence } from './outbound-call';
import { ackPhone, hangUpLateAnswer, invitePhone } from './phone-invite';
import { remoteTargetOf, textBody } from './ua-leg';

/** A phone an inbound call rings: a registered binding (browser or desk phone) and its user's profile. */
interface Branch extends ForkBranch {
  readonly target: RingTarget;
  reason: string;
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
  /** The carrier's offer for browsers and for desk phones. */
  readonly #offers: AgentOffers;

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly held: HeldCarrierInvite,
    private readonly targets: readonly RingTarget[],
  ) {
    this.#offers = new AgentOffers(host.media, call, textBody(held.request));
  }

  async start(): Promise<void> {
    const { context } = this.host;
    context.cancellables.set(this.held.transaction, () =>
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
    for (const target of this.targets) this.#branches.push(forkBranch({ target, reason: '' }));
    for (const branch of this.#branches) this.#send(branch, offers.get(branch.target.media) ?? '');
  }

  /** The server is stopping: the call is refused and anything ringing cancelled. */
  abort(): void {
    this.#giveUp(503, 'The server is stopping', 'The server stopped');
  }

  /** A phone's connection closed: its branch fails; the carrier's (TCP) closing gives up the call. */
  connectionClosed(connection: SipConnection): void {
    if (connection === this.held.connection)
      this.#giveUp(487, 'Request Terminated', 'The carrier disconnected');
    for (const branch of this.#branches)
      if (!branch.done && branch.target.binding.connection === connection)
        this.#branchFailed(branch, 480, '');
  }

  #send(branch: Branch, offer: string): void {
    const { binding } = branch.target;
    branch.transaction = invitePhone(
      this.host.context,
      this.call.dialog,
      binding,
      { cseq: 1, offer, whom: 'a phone for a trunk call', unsentStatus: 500 },
      {
        provisional: (response) => this.#provisional(branch, response),
        answered: (response) =>
          void this.#answered(branch, response).catch((error: unknown) => this.#crash(error)),
        failed: (status, reason) => this.#branchFailed(branch, status, reason),
      },
    );
  }

  #provisional(branch: Branch, response: SipResponse): void {
    if (branch.done) return;
    branch.provisional = true;
    if (branch.cancelWanted) return cancelBranch(this.host.context, branch);
    if (this.#finished || response.status === 100) return;
    const tag = toTagOf(response);
    const { dialog } = this.call;
    if (tag !== null && !dialog.early.has(tag))
      dialog.early.set(tag, calleeSideOf(branch.target.binding, response, tag));
    if (response.status < 180 || this.#rang) return;
    this.#rang = true;
    this.held.ringing();
  }

  async #answered(branch: Branch, response: SipResponse): Promise<void> {
    const { context } = this.host;
    const { dialog } = this.call;
    const { binding } = branch.target;
    const tag = toTagOf(response) ?? '';
    const answer = { dialog, binding, response, cseq: 1 };
    if (branch.done) {
      // The winner's 2xx again (our ACK was lost): ACK again.
      if (this.#winner === branch) ackPhone(context, answer);
      return;
    }
    branch.done = true;
    branch.status = response.status;
    if (this.#finished || this.#winner) {
      // Too late: that phone is hung up at once.
      ackPhone(context, answer);
      hangUpLateAnswer(context, answer);
      return;
    }
    this.#winner = branch;
    const side = dialog.early.get(tag) ?? calleeSideOf(binding, response, tag);
    side.contactUri = remoteTargetOf(response, side.contactUri);
    dialog.callee = side;
    dialog.calleeProfileId = branch.target.profileId;
    dialog.parties.callee = branch.target.party;
    dialog.early.clear();
    ackPhone(context, answer);
    cancelRinging(context, this.#branches, ANSWERED_ELSEWHERE);
    for (const unused of this.#offers.answeredBy(branch.target.media)) this.host.deleteMedia(unused);
    const sdp = await this.held.answerFor(response).catch((error: unknown) => {
      this.#fail(503, mediaSentence(error), 'failed', 'SIP;cause=488;text="No media"');
      return null;
    });
    // Or the customer hung up meanwhile: #giveUp ended the call and hung up this phone.
    if (sdp === null || this.#finished || this.call.ended) return;
    this.#finish();
    this.held.accept(sdp);
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
    cancelRinging(this.host.context, this.#branches, ANSWERED_ELSEWHERE);
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
    if (this.#finished || this.#winner || this.externalPending) return;
    // No phone was signed in and no mobile answered (or none could be rung).
    if (this.targets.length === 0) return this.#fail(480, 'Nobody is available to take the call', 'missed');
    if (this.#branches.length === 0) return;
    const best = forkOutcome(this.#branches);
    if (best === null) return;
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
    cancelRinging(this.host.context, this.#branches);
    this.held.givenUp(status, reason, recordReason, this.#winner !== null);
  }

  #fail(status: number, reason: string, disposition: Disposition, byeBrowser?: string): void {
    if (this.#finished) return;
    this.#finish();
    cancelRinging(this.host.context, this.#branches);
    this.held.end(status, reason, { disposition, byeBrowser });
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.host.context.cancellables.delete(this.held.transaction);
  }

  #crash(error: unknown): void {
    this.host.context.log.error('SIP edge: a trunk call failed', error);
    this.#fail(500, 'Server Internal Error', 'failed', 'SIP;cause=500;text="Server error"');
  }
}
