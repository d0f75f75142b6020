import { CallDialog, type DialogSide, type Party } from '../dialogs/call-dialog';
import { toTagOf } from '../message/message-fields';
import { generateCallId, generateTag } from '../message/identifiers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { calleeSideOf } from '../proxy/call-parties';
import { cancelBranch, cancelRinging, forkBranch, forkOutcome, type ForkBranch } from '../proxy/fork-branch';
import { BridgedCall, customerParty, customerSide, MEDIA_TAG } from './bridged-call';
import type { BridgeHost } from './bridge-host';
import type { RingTarget } from './bridge-host';
import { mediaSentence } from './outbound-call';
import { ackPhone, hangUpLateAnswer, invitePhone } from './phone-invite';
import { hasSdp, legRequest, remoteTargetOf, textBody } from './ua-leg';

/** What a transfer leg reports to the transfer that placed it. */
export interface TransferLegEvents {
  /** A phone of the target rings (the first 180). */
  ringing(): void;
  /** The target answered and the carrier's media now goes to it: `next` carries the call on. */
  connected(next: BridgedCall): void;
  /** Nobody took it: the status and sentence for the sipfrag; the customer's call is untouched. */
  failed(status: number, reason: string): void;
}

interface Branch extends ForkBranch {
  readonly target: RingTarget;
  reason: string;
}

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '')}"`;
}

/**
 * The customer's new leg toward a transfer target's phones, in third-party call control (RFC 3725,
 * flow III): one INVITE per registered phone without an offer (the first 2xx wins, the others are
 * cancelled); the winner's offer is rewritten for the trunk in a new rtpengine call and sent to the
 * carrier in a re-INVITE; the carrier's answer, rewritten for the phone (a browser or a desk
 * phone), goes in the ACK to it. Until the carrier accepts, the customer still talks to the agent over the old rtpengine
 * call, so a target that is busy, absent or silent changes nothing. A new rtpengine call rather
 * than a re-offer on the old one: rtpengine 10.5 moves the carrier side to new ports and cuts the
 * agent's side off as soon as the offer is made, which a failed transfer could not undo.
 */
export class TransferLeg {
  readonly dialog: CallDialog;
  readonly #customer: DialogSide;
  readonly #branches: Branch[] = [];
  #winner: Branch | null = null;
  #next: BridgedCall | null = null;
  #phoneAck: SipRequest | null = null;
  #finished = false;
  #rang = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly targets: readonly RingTarget[],
    /** Who the target is (the operator panel's callee once it answers). */
    private readonly party: Party,
    private readonly events: TransferLegEvents,
  ) {
    const { sipDomain } = host.context.config;
    const tag = generateTag();
    this.#customer = customerSide('caller', call.number, tag);
    // The INVITE is CSeq 1: the edge's next request to the phone (BYE, re-INVITE) is 2.
    this.#customer.cseq = 1;
    this.dialog = new CallDialog({
      callId: generateCallId(),
      caller: this.#customer,
      fromHeader: `${quoted(call.number)} <sip:${call.number}@${sipDomain}>;tag=${tag}`,
      toHeader: `<sip:${party.username}@${sipDomain}>`,
      callerProfileId: null,
      calleeProfileId: targets[0]?.profileId ?? null,
      // The same record: DialogRegistry.handOver leaves it open when one of the two dialogs goes.
      record: call.dialog.record,
      parties: { caller: customerParty(call.number), callee: party },
    });
  }

  start(): void {
    const { context } = this.host;
    context.dialogs.add(this.dialog);
    this.#timer = setTimeout(
      () => this.#giveUp(480, `${this.party.displayName} did not answer`),
      context.config.sipNoAnswerMs,
    );
    for (const target of this.targets) this.#branches.push(forkBranch({ target, reason: '' }));
    for (const branch of this.#branches) this.#send(branch);
  }

  /** The customer's call ended meanwhile: every phone stops ringing, an answered one is hung up. */
  abort(): void {
    if (this.#finished) return;
    this.#end();
    cancelRinging(this.host.context, this.#branches);
    this.#dropWinner();
  }

  #send(branch: Branch): void {
    branch.transaction = invitePhone(
      this.host.context,
      this.dialog,
      branch.target.binding,
      { cseq: 1, whom: 'a transfer target', unsentStatus: 480 },
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
    if (tag !== null && !this.dialog.early.has(tag))
      this.dialog.early.set(tag, calleeSideOf(branch.target.binding, response, tag));
    if (response.status < 180 || this.#rang) return;
    this.#rang = true;
    this.host.context.dialogs.setState(this.dialog, 'ringing');
    this.events.ringing();
  }

  async #answered(branch: Branch, response: SipResponse): Promise<void> {
    const { context, media } = this.host;
    const tag = toTagOf(response) ?? '';
    if (branch.done) {
      // The winner's 2xx again: our ACK (once sent) was lost.
      if (this.#winner === branch && this.#phoneAck)
        context.layer.sendStateless(this.#phoneAck, branch.target.binding.connection);
      return;
    }
    branch.done = true;
    branch.status = response.status;
    if (this.#finished || this.#winner) {
      // Too late: that phone is hung up at once.
      const late = { dialog: this.dialog, binding: branch.target.binding, response, cseq: 1 };
      ackPhone(context, late);
      hangUpLateAnswer(context, late);
      return;
    }
    this.#winner = branch;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    cancelRinging(context, this.#branches);
    const { dialog } = this;
    const side = dialog.early.get(tag) ?? calleeSideOf(branch.target.binding, response, tag);
    side.contactUri = remoteTargetOf(response, side.contactUri);
    dialog.callee = side;
    dialog.early.clear();
    const next = new BridgedCall('inbound', dialog, this.#customer, this.call.number, this.call.trunk);
    next.carrier = this.call.carrier;
    next.agentMedia = branch.target.media;
    this.#next = next;
    if (!hasSdp(response))
      return this.#failAnswered(488, `${this.party.displayName}'s phone sent no audio offer`);
    let offer: string;
    try {
      offer = await media.offer({
        callId: next.mediaId,
        fromTag: MEDIA_TAG.browser,
        sdp: textBody(response),
        toward: 'trunk',
      });
    } catch (error) {
      return this.#failAnswered(503, mediaSentence(error));
    }
    if (this.#finished) return;
    this.#moveCarrier(next, offer);
  }

  /** The carrier's re-INVITE with the new offer; its answer completes the phone's ACK. */
  #moveCarrier(next: BridgedCall, offer: string): void {
    const { context, media } = this.host;
    const carrier = this.call.carrier;
    if (this.call.updating) return this.#failAnswered(491, 'The call was being changed; try again');
    const out = carrier && !this.call.ended ? legRequest(context, carrier, 'INVITE', { body: offer }) : null;
    if (!carrier || !out)
      return this.#failAnswered(480, `The carrier of ${this.call.number} cannot be reached`);
    this.call.updating = true;
    const cseq = Number((out.headers.get('cseq') ?? '').split(' ')[0]) || carrier.cseq;
    let answered = false;
    const refused = (status: number, reason: string) => {
      this.call.updating = false;
      this.#failAnswered(status, `The carrier did not take the call to another phone (${status} ${reason})`);
    };
    try {
      context.layer.sendRequest(out, carrier.connection, {
        onFinal: (response) => {
          if (response.status >= 300) return refused(response.status, response.reason);
          const ack = legRequest(context, carrier, 'ACK', { cseq });
          if (ack) context.layer.sendStateless(ack, carrier.connection);
          if (answered) return;
          answered = true;
          carrier.target = remoteTargetOf(response, carrier.target);
          media
            .answer({
              callId: next.mediaId,
              fromTag: MEDIA_TAG.browser,
              toTag: MEDIA_TAG.trunk,
              sdp: textBody(response),
              toward: next.agentMedia,
            })
            .then(
              (sdp) => {
                this.call.updating = false;
                next.sdpToCarrier = offer;
                this.#connected(next, sdp);
              },
              (error: unknown) => {
                this.call.updating = false;
                this.#failAnswered(503, mediaSentence(error));
              },
            );
        },
        onTimeout: () => refused(408, 'Request Timeout'),
        onTransportError: () => refused(480, 'Temporarily Unavailable'),
      });
    } catch (error) {
      context.log.warn('SIP edge: could not re-INVITE a carrier for a transfer', error);
      refused(500, 'Server Internal Error');
    }
  }

  #connected(next: BridgedCall, answer: string): void {
    const { context } = this.host;
    const winner = this.#winner;
    if (this.#finished || !winner) return;
    const ack = legRequest(context, next.browser, 'ACK', { cseq: 1, body: answer });
    this.#phoneAck = ack;
    if (ack) context.layer.sendStateless(ack, winner.target.binding.connection);
    this.#end();
    this.dialog.calleeProfileId = winner.target.profileId;
    this.events.connected(next);
  }

  /** The target answered but the call could not be moved to it: it is hung up, the customer stays. */
  #failAnswered(status: number, reason: string): void {
    if (this.#finished) return;
    this.#end();
    this.#dropWinner();
    this.events.failed(status, reason);
  }

  /** ACK (without the answer the phone waits for: it is hung up next) and BYE to the answered phone. */
  #dropWinner(): void {
    const { context } = this.host;
    const next = this.#next;
    const winner = this.#winner;
    if (next) void this.host.media.delete(next.mediaId);
    if (!next || !winner || this.#phoneAck) return;
    const connection = winner.target.binding.connection;
    const ack = legRequest(context, next.browser, 'ACK', { cseq: 1 });
    if (ack) context.layer.sendStateless(ack, connection);
    const bye = legRequest(context, next.browser, 'BYE', {
      headers: [['Reason', 'SIP;cause=480;text="The transfer did not complete"']],
    });
    if (!bye) return;
    try {
      context.layer.sendRequest(bye, connection);
    } catch (error) {
      context.log.warn('SIP edge: could not hang up a transfer target', error);
    }
  }

  #branchFailed(branch: Branch, status: number, reason: string): void {
    if (branch.done) return;
    branch.done = true;
    branch.status = status;
    branch.reason = reason;
    if (this.#finished || this.#winner) return;
    const best = forkOutcome(this.#branches);
    if (best === null) return;
    const name = this.party.displayName;
    const sentence =
      best === 486 || best === 600
        ? `${name} is busy`
        : best === 603
          ? `${name} declined the call`
          : `${name} could not take the call${reason ? ` (${reason})` : ''}`;
    this.#giveUp(best === 408 ? 480 : best, sentence);
  }

  #giveUp(status: number, reason: string): void {
    if (this.#finished || this.#winner) return;
    this.#end();
    cancelRinging(this.host.context, this.#branches);
    this.events.failed(status, reason);
  }

  /** Settled either way; a leg that did not connect leaves the registry without touching the record. */
  #end(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#phoneAck) this.host.context.dialogs.handOver(this.dialog);
  }

  #crash(error: unknown): void {
    this.host.context.log.error('SIP edge: a transfer failed', error);
    this.#failAnswered(500, 'The transfer failed because of a server error');
  }
}
