import type { Disposition } from '../../../contracts/calls';
import type { QueueConfig } from '../../contact-center/queue-ports';
import type { MediaSide } from '../../media/media-bridge';
import type { ProfileLoad } from '../../../contracts/policy/call-admission';
import type { CallDialog, DialogSide } from '../dialogs/call-dialog';
import { callIdOf } from '../message/message-fields';
import type { SipResponse } from '../message/sip-message';
import { dispositionForStatus } from '../proxy/call-outcome';
import { partyOf } from '../proxy/call-parties';
import type { Offer, OfferEvents, OfferedAgent, QueueCaller } from '../queues/queue-caller';
import type { QueueEngine } from '../queues/queue-engine';
import type { Binding } from '../registrar/location-service';
import type { SipConnection } from '../transport/transport';
import { AgentOffers, phoneMedia } from './agent-media';
import { AgentRing } from './agent-ring';
import type { BridgeHost } from './bridge-host';
import type { BridgedCall } from './bridged-call';
import type { HeldCarrierInvite } from './held-carrier-invite';
import { mediaSentence } from './outbound-call';
import { textBody } from './ua-leg';

/** Said when a queue's overflow names someone who cannot be rung now. */
const FORWARD_UNREACHABLE = 'Nobody can take your call now';

/**
 * A customer's call from a carrier to a number assigned to a queue, as the queue engine's
 * caller: the carrier's INVITE is held with a 180 while the engine offers the call, each offer
 * rings the agent's phones (browsers and desk phones) through the bridge (AgentRing) with rtpengine's offer, and
 * the answer the engine claims becomes the bridged call (200 to the carrier with rtpengine's
 * answer, the carrier leg a dialog). The customer's CANCEL, or the carrier going away, ends the
 * browser leg's dialog: that is how the engine hears the call was abandoned.
 */
export class QueuedInboundCall implements QueueCaller {
  /** The carrier's Call-ID: the call record's key, and the queue call's. */
  readonly callId: string;
  readonly userId = null;
  readonly dialog: CallDialog;
  readonly #rings = new Set<AgentRing>();
  /**
   * rtpengine's offers for browsers (made before the call enters the queue: a broken media bridge
   * refuses the call at once) and for desk phones (made when one is first rung).
   */
  readonly #offers: AgentOffers;
  #finished = false;
  /** The CSeq of the browser leg's last INVITE (each ringing has its own). */
  #cseq = 0;

  constructor(
    private readonly host: BridgeHost,
    private readonly call: BridgedCall,
    private readonly held: HeldCarrierInvite,
    private readonly engine: QueueEngine,
    private readonly queue: QueueConfig,
  ) {
    this.callId = callIdOf(held.request);
    this.dialog = call.dialog;
    this.#offers = new AgentOffers(host.media, call, textBody(held.request));
  }

  /** rtpengine's offer, then the queue; the customer may cancel from the start. */
  async start(): Promise<void> {
    const { context } = this.host;
    context.cancellables.set(this.held.transaction, () =>
      this.#giveUp(487, 'Request Terminated', 'Cancelled by the customer'),
    );
    try {
      await this.#offers.offer('browser');
    } catch (error) {
      this.#fail(503, mediaSentence(error), 'failed');
      return;
    }
    if (this.#finished) return;
    this.engine.enqueue(this.queue, this);
  }

  callerLoad(): ProfileLoad | null {
    return null;
  }

  ringing(): void {
    if (this.#finished) return;
    this.held.ringing();
  }

  offer(agent: OfferedAgent, ringMs: number, events: OfferEvents): Offer {
    // Browsers and desk phones alike: an agent with only a desk phone is rung, not passed over as
    // unanswered (which made them Not ready and counted a missed offer).
    const phones = agent.bindings.filter((b) => !b.connection.closed);
    const ring = this.#ring(phones, ringMs, {
      claim: () => {
        if (this.#finished || !events.claim()) return false;
        this.dialog.parties.callee = partyOf(agent.account);
        this.dialog.calleeProfileId = agent.account.profile?.id ?? null;
        return true;
      },
      unanswered: (status) => events.unanswered(status),
    });
    return { withdraw: () => ring.withdraw() };
  }

  forwardTo(userId: number): void {
    this.host
      .ringTargets((id) => id === userId)
      .then((targets) => {
        if (this.#finished) return;
        const first = targets[0];
        if (!first) return this.#fail(480, FORWARD_UNREACHABLE, 'missed');
        this.#ring(
          targets.map((t) => t.binding),
          this.host.context.config.sipNoAnswerMs,
          {
            claim: () => {
              if (this.#finished) return false;
              this.dialog.parties.callee = first.party;
              this.dialog.calleeProfileId = first.profileId;
              return true;
            },
            unanswered: (status) =>
              this.#fail(status === 408 ? 480 : status, FORWARD_UNREACHABLE, dispositionForStatus(status)),
          },
        );
      })
      .catch((error: unknown) => {
        this.host.context.log.error('SIP edge: could not forward a queued trunk call', error);
        this.#fail(500, 'Server Internal Error', 'failed');
      });
  }

  refuse(status: number, reason: string): void {
    this.#fail(status, reason, dispositionForStatus(status));
  }

  /** The server is stopping. */
  abort(): void {
    this.#giveUp(503, 'The server is stopping', 'The server stopped');
  }

  /** The carrier's (TCP) connection closing gives up the call; a phone's fails its branch. */
  connectionClosed(connection: SipConnection): void {
    if (connection === this.held.connection)
      this.#giveUp(487, 'Request Terminated', 'The carrier disconnected');
    for (const ring of this.#rings) ring.connectionClosed(connection);
  }

  #ring(
    phones: readonly Binding[],
    ringMs: number,
    hooks: { claim(): boolean; unanswered(status: number): void },
  ): AgentRing {
    const ring = new AgentRing(this.host.context, this.call, ++this.#cseq, {
      claim: hooks.claim,
      answered: (side, response, cseq, media) => {
        this.#rings.delete(ring);
        void this.#answered(side, response, cseq, media).catch((error: unknown) => this.#crash(error));
      },
      unanswered: (status) => {
        this.#rings.delete(ring);
        hooks.unanswered(status);
      },
    });
    this.#rings.add(ring);
    this.#offers.offers(phones.map(phoneMedia)).then(
      (offers) => ring.start(phones, (binding) => offers.get(phoneMedia(binding)) ?? '', ringMs),
      (error: unknown) => {
        this.#rings.delete(ring);
        this.#fail(503, mediaSentence(error), 'failed');
      },
    );
    return ring;
  }

  /** A phone's answer the call took: rtpengine's answer goes to the carrier in a 200. */
  async #answered(side: DialogSide, response: SipResponse, cseq: number, media: MediaSide): Promise<void> {
    const { dialog, call } = this;
    dialog.callee = side;
    dialog.early.clear();
    for (const unused of this.#offers.answeredBy(media)) this.host.deleteMedia(unused);
    // The edge's next request to the phone (a BYE, a re-INVITE) continues after this INVITE.
    call.customer.cseq = cseq;
    const sdp = await this.held.answerFor(response).catch((error: unknown) => {
      this.#fail(503, mediaSentence(error), 'failed', 'SIP;cause=488;text="No media"');
      return null;
    });
    // Or the customer hung up meanwhile: #giveUp ended the call and hung up this phone.
    if (sdp === null || this.#finished || call.ended) return;
    this.#finish();
    this.held.accept(sdp);
  }

  /** The carrier's CANCEL or the carrier gone: every phone stops ringing, the dialog ends. */
  #giveUp(status: number, reason: string, recordReason: string): void {
    if (this.#finished) return;
    this.#finish();
    this.held.givenUp(status, reason, recordReason, this.dialog.callee !== null);
  }

  #fail(status: number, reason: string, disposition: Disposition, byeBrowser?: string): void {
    if (this.#finished) return;
    this.#finish();
    this.held.end(status, reason, { disposition, byeBrowser });
  }

  #finish(): void {
    this.#finished = true;
    this.host.context.cancellables.delete(this.held.transaction);
    for (const ring of this.#rings) ring.withdraw();
    this.#rings.clear();
  }

  #crash(error: unknown): void {
    this.host.context.log.error('SIP edge: a queued trunk call failed', error);
    this.#fail(500, 'Server Internal Error', 'failed', 'SIP;cause=500;text="Server error"');
  }
}
