import type { MediaSide } from '../../media/media-bridge';
import type { DialogSide } from '../dialogs/call-dialog';
import type { EdgeContext } from '../edge-context';
import { toTagOf } from '../message/message-fields';
import type { SipResponse } from '../message/sip-message';
import { ANSWERED_ELSEWHERE } from '../proxy/call-outcome';
import { calleeSideOf } from '../proxy/call-parties';
import { cancelBranch, cancelRinging, forkBranch, forkOutcome, type ForkBranch } from '../proxy/fork-branch';
import type { Binding } from '../registrar/location-service';
import type { SipConnection } from '../transport/transport';
import { phoneMedia } from './agent-media';
import type { BridgedCall } from './bridged-call';
import { ackPhone, hangUpLateAnswer, invitePhone } from './phone-invite';
import { remoteTargetOf } from './ua-leg';

/** What a ring tells the call it rings for. */
export interface AgentRingHooks {
  /** A phone answered: true when the call is its (the ring then hands it over), false to hang it up. */
  claim(): boolean;
  /** The phone that answered and was claimed (speaking `media`), with its 2xx (already ACKed). */
  answered(side: DialogSide, response: SipResponse, cseq: number, media: MediaSide): void;
  /** Every phone failed, declined or rang out (408); nothing rings any more. */
  unanswered(status: number): void;
}

interface Branch extends ForkBranch {
  readonly binding: Binding;
}

/**
 * One ringing of a bridged inbound call's browser leg at one agent's phones (a queue's offer, or
 * the user a queue overflows to): an INVITE per phone, browser or desk phone, with rtpengine's
 * offer for its kind, under
 * the call's own Call-ID and From tag and a CSeq of its own (an agent offered the call again gets
 * a new request, not a merged one). The first 2xx the call claims wins; the others are cancelled,
 * a 2xx not claimed is ACKed and hung up. The other phones of one that answered are cancelled
 * as answered elsewhere. Early sides are kept on the dialog only while it rings.
 */
export class AgentRing {
  readonly #branches: Branch[] = [];
  readonly #earlyTags: string[] = [];
  #finished = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly context: EdgeContext,
    private readonly call: BridgedCall,
    private readonly cseq: number,
    private readonly hooks: AgentRingHooks,
  ) {}

  /**
   * Sends the INVITEs, each with `offerFor` its phone; with no phone to ring, reports unanswered
   * (480) at once. Nothing is sent once withdrawn.
   */
  start(bindings: readonly Binding[], offerFor: (binding: Binding) => string, ringMs: number): void {
    if (this.#finished) return;
    for (const binding of bindings) this.#branches.push(forkBranch({ binding }));
    if (this.#branches.length === 0) return this.#over(480);
    this.#timer = setTimeout(() => this.#over(408), ringMs);
    for (const branch of this.#branches) this.#send(branch, offerFor(branch.binding));
  }

  /** Stops every phone ringing; nothing is reported. */
  withdraw(): void {
    if (this.#finished) return;
    this.#finish();
    cancelRinging(this.context, this.#branches);
    this.#forgetEarlySides();
  }

  /** A phone's connection closed: its branch fails. */
  connectionClosed(connection: SipConnection): void {
    for (const branch of this.#branches)
      if (!branch.done && branch.binding.connection === connection) this.#failed(branch, 480);
  }

  #send(branch: Branch, offer: string): void {
    branch.transaction = invitePhone(
      this.context,
      this.call.dialog,
      branch.binding,
      { cseq: this.cseq, offer, whom: 'a phone for a queued trunk call', unsentStatus: 500 },
      {
        provisional: (response) => this.#provisional(branch, response),
        answered: (response) => this.#success(branch, response),
        failed: (status) => this.#failed(branch, status),
      },
    );
  }

  #provisional(branch: Branch, response: SipResponse): void {
    if (branch.done) return;
    branch.provisional = true;
    if (branch.cancelWanted) return cancelBranch(this.context, branch);
    if (this.#finished || response.status === 100) return;
    const tag = toTagOf(response);
    const { dialog } = this.call;
    if (tag !== null && !dialog.early.has(tag)) {
      dialog.early.set(tag, calleeSideOf(branch.binding, response, tag));
      this.#earlyTags.push(tag);
    }
  }

  #success(branch: Branch, response: SipResponse): void {
    const { context, cseq } = this;
    const { dialog } = this.call;
    const tag = toTagOf(response) ?? '';
    const answer = { dialog, binding: branch.binding, response, cseq };
    // A 2xx again (our ACK was lost): ACK again.
    if (branch.done) return ackPhone(context, answer);
    branch.done = true;
    branch.status = response.status;
    ackPhone(context, answer);
    if (this.#finished || !this.hooks.claim()) {
      this.withdraw();
      return hangUpLateAnswer(context, answer);
    }
    // The edge's next request to this phone continues after its INVITE's CSeq (the hooks set it).
    const side = dialog.early.get(tag) ?? calleeSideOf(branch.binding, response, tag);
    side.contactUri = remoteTargetOf(response, side.contactUri);
    this.#finish();
    this.#earlyTags.length = 0;
    cancelRinging(context, this.#branches, ANSWERED_ELSEWHERE);
    this.hooks.answered(side, response, this.cseq, phoneMedia(branch.binding));
  }

  #failed(branch: Branch, status: number): void {
    if (branch.done) return;
    branch.done = true;
    branch.status = status;
    const outcome = forkOutcome(this.#branches);
    if (this.#finished || outcome === null) return;
    this.#over(outcome);
  }

  #over(status: number): void {
    if (this.#finished) return;
    this.#finish();
    cancelRinging(this.context, this.#branches);
    this.#forgetEarlySides();
    this.hooks.unanswered(status);
  }

  #forgetEarlySides(): void {
    for (const tag of this.#earlyTags.splice(0)) this.call.dialog.early.delete(tag);
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
