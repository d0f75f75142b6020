import { MONITOR_HEADER } from '../../../contracts/monitor-header';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { contactOf, cseqOf, toTagOf } from '../message/message-fields';
import { cloneMessage, type SipRequest, type SipResponse } from '../message/sip-message';
import type { Binding } from '../registrar/location-service';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { CallDialog } from '../dialogs/call-dialog';
import { ANSWERED_ELSEWHERE, dispositionForStatus } from './call-outcome';
import { buildInDialogRequest, sendBye } from './edge-requests';
import { assertIdentity } from './asserted-identity';
import { prepareForward, relayResponse } from './forwarding';
import { canRelay, mediaSideOf, MediaRelay } from './media-relay';
import { hasSdp, textBody } from '../bridge/ua-leg';
import { mediaSentence } from '../bridge/outbound-call';
import type { ExternalNumbers } from '../bridge/external-ring';
import type { AttemptHooks } from './call-attempt';
import { calleeSideOf } from './call-parties';
import { cancelBranch, cancelRinging, forkBranch, forkOutcome, type ForkBranch } from './fork-branch';

interface Branch extends ForkBranch {
  readonly binding: Binding;
  readonly request: SipRequest;
  /** A phone of the other media kind (browser and desk phone): its SDP passes through rtpengine. */
  relayed: boolean;
}

/**
 * One forked INVITE: a branch per registered device of the callee. With `hooks` it is one
 * attempt of a held INVITE: it neither answers the caller with a failure nor ends the dialog.
 */
export class ProxyCall {
  readonly #branches: Branch[] = [];
  readonly #lastResponse = new Map<Branch, SipResponse>();
  /** To tags of the early sides this call added to the dialog (an attempt removes them). */
  readonly #earlyTags: string[] = [];
  #winner: Branch | null = null;
  #finished = false;
  #timer: NodeJS.Timeout | null = null;
  /** rtpengine's part when browsers and desk phones are on the two ends (null: none needed or none here). */
  #relay: MediaRelay | null = null;
  /** The winner's 2xx with the relayed answer (a repeated 2xx is passed on as this). */
  #relayedAnswer: SipResponse | null = null;
  /** The callee's external numbers may still answer: the phones' failures wait for them. */
  #externalPending = false;
  /** How many phones `start` rang (none: only the callee's mobiles ring). */
  #phones = -1;

  constructor(
    private readonly context: EdgeContext,
    private readonly calls: Set<ProxyCall>,
    private readonly request: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly connection: SipConnection,
    private readonly dialog: CallDialog,
    private readonly hooks: AttemptHooks | null = null,
  ) {}

  start(bindings: Binding[], mark?: string): void {
    const { context, hooks } = this;
    this.#phones = bindings.length;
    if (hooks) {
      this.#timer = setTimeout(() => this.#attemptOver(408), hooks.ringMs);
    } else {
      context.cancellables.set(this.transaction, () =>
        this.#giveUp(487, 'Request Terminated', 'Cancelled by caller'),
      );
      this.#timer = setTimeout(
        () => this.#giveUp(408, 'No answer', 'No answer'),
        context.config.sipNoAnswerMs,
      );
    }
    // A browser calling a desk phone, or the other way round: the phones of the other kind get
    // the caller's offer as rtpengine rewrote it.
    const callerSide = mediaSideOf(this.connection);
    const mixed = bindings.some((b) => mediaSideOf(b.connection) !== callerSide);
    if (mixed && hasSdp(this.request) && canRelay(context.media)) {
      const relay = new MediaRelay(context.media, callerSide);
      this.#relay = relay;
      relay.offer('caller', textBody(this.request)).then(
        (offer) => {
          if (this.#finished) void relay.delete();
          else this.#fork(bindings, mark, offer);
        },
        (error: unknown) => {
          context.log.warn(`SIP edge: ${mediaSentence(error)}; the call is proxied without media relay`);
          this.#relay = null;
          void relay.delete();
          if (!this.#finished) this.#fork(bindings, mark, null);
        },
      );
      return;
    }
    this.#fork(bindings, mark, null);
  }

  /** One branch per binding; `relayedOffer` goes to the phones of the other media kind. */
  #fork(bindings: Binding[], mark: string | undefined, relayedOffer: string | null): void {
    const { context, hooks } = this;
    const callerSide = mediaSideOf(this.connection);
    for (const binding of bindings) {
      const forwarded = prepareForward(this.request, context.address, {
        from: this.connection,
        to: binding.connection,
        targetKey: binding.id,
        uri: binding.contactUri,
        recordRoute: true,
      });
      if (!forwarded) {
        if (hooks) this.#attemptOver(483);
        else this.#giveUp(483, 'Too Many Hops', 'Too many hops');
        return;
      }
      if (mark) forwarded.headers.set(MONITOR_HEADER, mark);
      assertIdentity(forwarded, this.dialog.parties.caller, context.config.sipDomain);
      const relayed = relayedOffer !== null && mediaSideOf(binding.connection) !== callerSide;
      if (relayed) forwarded.body = relayedOffer;
      this.#branches.push(forkBranch({ relayed, binding, request: forwarded }));
    }
    for (const branch of this.#branches) this.#send(branch);
  }

  /** Rings the callee's external numbers too; a mobile answering first takes the call from the phones. */
  ringExternals(externals: ExternalNumbers, callee: SipAccount): void {
    this.#externalPending = true;
    externals.ring({
      request: this.request,
      transaction: this.transaction,
      connection: this.connection,
      dialog: this.dialog,
      account: callee,
      callerMedia: mediaSideOf(this.connection),
      host: {
        takeOver: () => {
          if (this.#finished) return false;
          this.#finish();
          cancelRinging(this.context, this.#branches, ANSWERED_ELSEWHERE);
          this.#forgetEarlySides();
          this.#forgetIfDone();
          return true;
        },
        externalsOver: () => {
          this.#externalPending = false;
          this.#maybeFail();
        },
      },
    });
  }

  /** Stops an attempt's phones ringing; nothing is reported. */
  withdraw(): void {
    if (this.#finished) return;
    this.#finish();
    cancelRinging(this.context, this.#branches);
    this.#forgetEarlySides();
    this.#forgetIfDone();
  }

  connectionClosed(connection: SipConnection): void {
    // An attempt's caller is its holder's: the holder hears of the connection itself.
    if (connection === this.connection && !this.#finished && !this.hooks) {
      this.#giveUp(487, 'Request Terminated', 'Caller disconnected');
    }
    for (const branch of this.#branches) {
      if (!branch.done && branch.binding.connection === connection) this.#branchFinal(branch, 480, null);
    }
  }

  #send(branch: Branch): void {
    try {
      const transaction = this.context.layer.sendRequest(branch.request, branch.binding.connection, {
        onProvisional: (response) => this.#provisional(branch, response),
        onFinal: (response) => this.#branchFinal(branch, response.status, response),
        onTimeout: () => this.#branchFinal(branch, 408, null),
        onTransportError: () => this.#branchFinal(branch, 480, null),
      });
      if (transaction.kind === 'invite') branch.transaction = transaction;
    } catch (error) {
      this.context.log.warn('SIP edge: could not fork an INVITE', error);
      this.#branchFinal(branch, 500, null);
    }
  }

  #provisional(branch: Branch, response: SipResponse): void {
    if (branch.done) return;
    branch.provisional = true;
    if (branch.cancelWanted) {
      cancelBranch(this.context, branch);
      return;
    }
    if (this.#finished || response.status === 100) return;
    const tag = toTagOf(response);
    if (tag !== null && !this.dialog.early.has(tag)) {
      this.dialog.early.set(tag, calleeSideOf(branch.binding, response, tag));
      this.#earlyTags.push(tag);
    }
    // The holder of an attempt already told the caller it rings.
    if (this.hooks) return;
    if (response.status === 180 || response.status === 183) {
      this.context.dialogs.setState(this.dialog, 'ringing');
    }
    const relayed = this.#relayFromCallee(response);
    // A relayed phone's early media is not passed on: the caller hears its own ringing.
    if (branch.relayed && hasSdp(response)) {
      relayed.body = '';
      relayed.headers.remove('content-type');
    }
    this.transaction.respond(relayed);
  }

  #branchFinal(branch: Branch, status: number, response: SipResponse | null): void {
    if (branch.done) {
      // A 2xx retransmitted by the winner is passed on (the caller may not have its ACK yet).
      if (response && status < 300 && this.#winner === branch) {
        const again = branch.relayed ? this.#relayedAnswer : response;
        if (again) this.transaction.respond(this.#relayFromCallee(again));
      }
      return;
    }
    branch.done = true;
    branch.status = status;
    if (response) this.#lastResponse.set(branch, response);
    if (status >= 200 && status < 300 && response) {
      if (this.#finished) this.#hangUpLate(branch, response);
      else if (this.hooks && !this.hooks.claim(branch.binding.userId)) {
        this.withdraw();
        this.#hangUpLate(branch, response);
      } else this.#answer(branch, response);
    } else {
      this.#maybeFail();
    }
    this.#forgetIfDone();
  }

  #answer(branch: Branch, response: SipResponse): void {
    this.#winner = branch;
    this.#finish();
    cancelRinging(this.context, this.#branches, ANSWERED_ELSEWHERE);
    const relay = this.#relay;
    if (!branch.relayed || !relay) return this.#established(branch, response);
    relay.answer('caller', textBody(response)).then(
      (sdp) => {
        const rewritten = cloneMessage(response);
        rewritten.body = sdp;
        this.#relayedAnswer = rewritten;
        this.dialog.relay = relay;
        if (!this.dialog.active) {
          void relay.delete();
          return;
        }
        this.#established(branch, rewritten);
      },
      (error: unknown) => {
        void relay.delete();
        this.#hangUpLate(branch, response);
        const reason = mediaSentence(error);
        reply(this.transaction, 503, reason);
        this.context.dialogs.end(this.dialog, 'failed', reason);
      },
    );
  }

  /** The winner's 2xx goes to the caller: the dialog is answered. */
  #established(branch: Branch, response: SipResponse): void {
    const { context, dialog } = this;
    const tag = toTagOf(response) ?? '';
    dialog.callee = dialog.early.get(tag) ?? calleeSideOf(branch.binding, response, tag);
    const contact = contactOf(response);
    if (contact) dialog.callee.contactUri = contact.uri;
    dialog.early.clear();
    this.transaction.respond(this.#relayFromCallee(response));
    context.dialogs.setState(dialog, 'answered');
    dialog.record.answered();
  }

  /** A 18x or 2xx passed to the caller, saying whom it reached. */
  #relayFromCallee(response: SipResponse): SipResponse {
    return assertIdentity(relayResponse(response), this.dialog.parties.callee, this.context.config.sipDomain);
  }

  #maybeFail(): void {
    if (this.#finished || this.#externalPending) return;
    // The callee had no phone signed in, only mobiles, and none of them answered.
    if (this.#phones === 0 && !this.hooks) {
      const reason = `${this.dialog.parties.callee.displayName} could not be reached`;
      this.#finish();
      reply(this.transaction, 480, reason);
      this.context.dialogs.end(this.dialog, 'missed', reason);
      return;
    }
    if (this.#branches.length === 0) return;
    const status = forkOutcome(this.#branches);
    if (status === null) return;
    if (this.hooks) return this.#attemptOver(status);
    const best = this.#branches.find((b) => b.status === status);
    this.#finish();
    const response = best ? this.#lastResponse.get(best) : undefined;
    const reason = response?.reason ?? (status === 480 ? 'Temporarily Unavailable' : 'Call failed');
    if (response) this.transaction.respond(relayResponse(response));
    else reply(this.transaction, status, reason);
    this.context.dialogs.end(this.dialog, dispositionForStatus(status), reason);
  }

  /** Caller's CANCEL, no answer in time, or the caller gone: stop every branch. */
  #giveUp(status: number, reason: string, recordReason: string): void {
    if (this.#finished) return;
    this.#finish();
    reply(this.transaction, status, reason);
    cancelRinging(this.context, this.#branches);
    this.context.dialogs.end(this.dialog, dispositionForStatus(status), recordReason);
    this.#forgetIfDone();
  }

  /** An attempt ends unanswered: its phones stop, its early sides go, its holder hears why. */
  #attemptOver(status: number): void {
    if (this.#finished || !this.hooks) return;
    this.#finish();
    cancelRinging(this.context, this.#branches);
    this.#forgetEarlySides();
    this.#forgetIfDone();
    this.hooks.unanswered(status);
  }

  #forgetEarlySides(): void {
    for (const tag of this.#earlyTags.splice(0)) this.dialog.early.delete(tag);
  }

  /** A 2xx from a branch after the call was decided: the edge ACKs it and hangs up. */
  #hangUpLate(branch: Branch, response: SipResponse): void {
    const contact = contactOf(response);
    const target = {
      uri: contact?.uri ?? branch.binding.contactUri,
      from: this.request.headers.get('from') ?? '',
      to: response.headers.get('to') ?? '',
      callId: this.dialog.callId,
      cseq: cseqOf(this.request)?.seq ?? 1,
    };
    this.context.layer.sendStateless(
      buildInDialogRequest(this.context, 'ACK', target, branch.binding.connection),
      branch.binding.connection,
    );
    sendBye(this.context, branch.binding.connection, { ...target, cseq: target.cseq + 1 });
  }

  #finish(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // Unanswered, or answered by a phone of the caller's kind: no media to relay.
    if (this.#relay && !this.#winner?.relayed) {
      void this.#relay.delete();
      this.#relay = null;
    }
    if (!this.hooks) this.context.cancellables.delete(this.transaction);
  }

  /** Kept until every branch has its final answer (a late CANCEL or 2xx still needs it). */
  #forgetIfDone(): void {
    if (this.#finished && this.#branches.every((b) => b.done)) this.calls.delete(this);
  }
}
