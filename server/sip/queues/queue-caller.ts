import type { ProfileLoad } from '../../../contracts/policy/call-admission';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { CallDialog } from '../dialogs/call-dialog';
import type { Binding } from '../registrar/location-service';

/** An agent a queue call is offered to: who, with the profile that admitted them, and the phones to ring. */
export interface OfferedAgent {
  readonly userId: number;
  readonly account: SipAccount;
  readonly bindings: readonly Binding[];
}

/** What an offer tells the engine. */
export interface OfferEvents {
  /**
   * The agent's phone answered: true when the call is theirs (the caller gets the 200), false
   * when it is gone or taken (the holder hangs that phone up).
   */
  claim(): boolean;
  /** Every phone of the agent failed, declined or rang out; the holder cancelled what still rang. */
  unanswered(status: number): void;
}

/** An offer ringing: `withdraw` cancels it and reports nothing. */
export interface Offer {
  withdraw(): void;
}

/**
 * The caller's side of a queue call as the queue engine drives it: a phone's INVITE held by the
 * proxy (ProxyQueueCaller), or a customer's call held by the trunk bridge. The holder keeps the
 * INVITE unanswered while the engine offers the call; it ends `dialog` when the caller leaves
 * (CANCEL, a lost connection), which is how the engine hears of an abandoned call, and the
 * dialog's end after an answer starts the agent's wrap-up.
 */
export interface QueueCaller {
  /** The Call-ID of the caller's INVITE: the call record's key. */
  readonly callId: string;
  /** The call in the edge's registry (registered before the engine gets it). */
  readonly dialog: CallDialog;
  /** The calling user (never offered their own call); null for a customer on a trunk. */
  readonly userId: number | null;
  /**
   * The caller's profile for the channel check, not counting this call; null when no profile
   * of the caller's limits it (a customer on a trunk: only the agent's channels count).
   * `channelsInUse` counts a profile's calls (the engine's pass counts each profile once).
   */
  callerLoad(channelsInUse?: (profileId: number) => number): ProfileLoad | null;
  /** The caller hears ringing (180): once, as the call enters its first queue. */
  ringing(): void;
  /** Rings one agent's phones for `ringMs`. */
  offer(agent: OfferedAgent, ringMs: number, events: OfferEvents): Offer;
  /** Overflow to a user: the call goes on to them as a direct call; the engine is done with it. */
  forwardTo(userId: number): void;
  /** Refuses the call (480 or 486 with the queue's reason phrase); the engine is done with it. */
  refuse(status: number, reason: string): void;
}
