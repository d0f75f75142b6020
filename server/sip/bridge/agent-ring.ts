import type { MediaSide } from '../../media/media-bridge';
import type { DialogSide } from '../dialogs/call-dialog';
import type { EdgeContext } from '../edge-context';
import { contactOf, toTagOf } from '../message/message-fields';
import { generateBranch } from '../message/identifiers';
import { createRequest, type SipResponse } from '../message/sip-message';
import { assertIdentity } from '../proxy/asserted-identity';
import { ANSWERED_ELSEWHERE, bestFinalStatus } from '../proxy/call-outcome';
import type { Binding } from '../registrar/location-service';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import type { SipConnection } from '../transport/transport';
import { EDGE_USER_AGENT } from '../trunks/uac-request';
import { phoneMedia } from './agent-media';
import type { BridgedCall } from './bridged-call';
import { edgeContact, legRequest, remoteTargetOf, withTag } from './ua-leg';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/** What a ring tells the call it rings for. */
export interface AgentRingHooks {
  /** A phone answered: true when the call is its (the ring then hands it over), false to hang it up. */
  claim(): boolean;
  /** The phone that answered and was claimed (speaking `media`), with its 2xx (already ACKed). */
  answered(side: DialogSide, response: SipResponse, cseq: number, media: MediaSide): void;
  /** Every phone failed, declined or rang out (408); nothing rings any more. */
  unanswered(status: number): void;
}

interface Branch {
  readonly binding: Binding;
  transaction: InviteClientTransaction | null;
  provisional: boolean;
  done: boolean;
  status: number | null;
  cancelWanted: boolean;
  cancelSent: boolean;
  /** The Reason header of its CANCEL (another phone answered). */
  cancelReason?: string;
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
    for (const binding of bindings)
      this.#branches.push({
        binding,
        transaction: null,
        provisional: false,
        done: false,
        status: null,
        cancelWanted: false,
        cancelSent: false,
      });
    if (this.#branches.length === 0) return this.#over(480);
    this.#timer = setTimeout(() => this.#over(408), ringMs);
    for (const branch of this.#branches) this.#send(branch, offerFor(branch.binding));
  }

  /** Stops every phone ringing; nothing is reported. */
  withdraw(): void {
    if (this.#finished) return;
    this.#finish();
    for (const branch of this.#branches) if (!branch.done) this.#cancel(branch);
    this.#forgetEarlySides();
  }

  /** A phone's connection closed: its branch fails. */
  connectionClosed(connection: SipConnection): void {
    for (const branch of this.#branches)
      if (!branch.done && branch.binding.connection === connection) this.#failed(branch, 480);
  }

  #send(branch: Branch, offer: string): void {
    const { context, call } = this;
    const { dialog } = call;
    const { binding } = branch;
    const invite = createRequest(
      'INVITE',
      binding.contactUri,
      [
        ['Via', context.address.via(generateBranch(), binding.connection)],
        ['Max-Forwards', '70'],
        ['From', dialog.fromHeader],
        ['To', dialog.toHeader],
        ['Call-ID', dialog.callId],
        ['CSeq', `${this.cseq} INVITE`],
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
          if (response.status >= 200 && response.status < 300) this.#success(branch, response);
          else this.#failed(branch, response.status);
        },
        onTimeout: () => this.#failed(branch, 408),
        onTransportError: () => this.#failed(branch, 480),
      });
      if (transaction.kind === 'invite') branch.transaction = transaction;
    } catch (error) {
      context.log.warn('SIP edge: could not ring a phone for a queued trunk call', error);
      this.#failed(branch, 500);
    }
  }

  #provisional(branch: Branch, response: SipResponse): void {
    if (branch.done) return;
    branch.provisional = true;
    if (branch.cancelWanted) return this.#cancel(branch);
    if (this.#finished || response.status === 100) return;
    const tag = toTagOf(response);
    const { dialog } = this.call;
    if (tag !== null && !dialog.early.has(tag)) {
      dialog.early.set(tag, this.#sideOf(branch, response, tag));
      this.#earlyTags.push(tag);
    }
  }

  #success(branch: Branch, response: SipResponse): void {
    const tag = toTagOf(response) ?? '';
    // A 2xx again (our ACK was lost): ACK again.
    if (branch.done) return this.#ack(branch, response, tag);
    branch.done = true;
    branch.status = response.status;
    this.#ack(branch, response, tag);
    if (this.#finished || !this.hooks.claim()) {
      this.withdraw();
      return this.#bye(branch, response, tag);
    }
    const side = this.call.dialog.early.get(tag) ?? this.#sideOf(branch, response, tag);
    side.contactUri = remoteTargetOf(response, side.contactUri);
    this.#finish();
    this.#earlyTags.length = 0;
    for (const other of this.#branches)
      if (other !== branch && !other.done) this.#cancel(other, ANSWERED_ELSEWHERE);
    this.hooks.answered(side, response, this.cseq, phoneMedia(branch.binding));
  }

  #failed(branch: Branch, status: number): void {
    if (branch.done) return;
    branch.done = true;
    branch.status = status;
    if (this.#finished || this.#branches.some((b) => !b.done)) return;
    this.#over(bestFinalStatus(this.#branches.map((b) => b.status ?? 480)));
  }

  #over(status: number): void {
    if (this.#finished) return;
    this.#finish();
    for (const branch of this.#branches) if (!branch.done) this.#cancel(branch);
    this.#forgetEarlySides();
    this.hooks.unanswered(status);
  }

  #sideOf(branch: Branch, response: SipResponse, tag: string): DialogSide {
    const { binding } = branch;
    return {
      role: 'callee',
      userId: binding.userId,
      username: binding.username,
      connection: binding.connection,
      contactKey: binding.contactKey,
      contactUri: contactOf(response)?.uri ?? binding.contactUri,
      tag,
      // The edge's next request to this phone continues after its INVITE's CSeq.
      cseq: 0,
      graceTimer: null,
    };
  }

  #ack(branch: Branch, response: SipResponse, tag: string): void {
    const ack = legRequest(this.context, this.#legOf(branch, response, tag), 'ACK', { cseq: this.cseq });
    if (ack) this.context.layer.sendStateless(ack, branch.binding.connection);
  }

  #bye(branch: Branch, response: SipResponse, tag: string): void {
    const bye = legRequest(this.context, this.#legOf(branch, response, tag), 'BYE');
    if (!bye) return;
    try {
      this.context.layer.sendRequest(bye, branch.binding.connection);
    } catch (error) {
      this.context.log.warn('SIP edge: could not hang up a phone that answered too late', error);
    }
  }

  /** The browser leg toward one phone, for its ACK or a BYE. */
  #legOf(branch: Branch, response: SipResponse, tag: string) {
    const { dialog } = this.call;
    return {
      callId: dialog.callId,
      local: dialog.fromHeader,
      remote: withTag(dialog.toHeader, tag),
      target: remoteTargetOf(response, branch.binding.contactUri),
      routes: [],
      connection: branch.binding.connection,
      nextCseq: () => this.cseq + 1,
    };
  }

  #forgetEarlySides(): void {
    for (const tag of this.#earlyTags.splice(0)) this.call.dialog.early.delete(tag);
  }

  #cancel(branch: Branch, reason?: string): void {
    branch.cancelWanted = true;
    if (reason) branch.cancelReason = reason;
    if (branch.cancelSent || !branch.provisional || !branch.transaction) return;
    branch.cancelSent = true;
    try {
      this.context.layer.cancel(branch.transaction, {}, branch.cancelReason);
    } catch (error) {
      this.context.log.warn('SIP edge: could not send CANCEL', error);
    }
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
