import { canPlaceCall, type ProfileLoad } from '../../../contracts/policy/call-admission';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { edgeContact } from '../bridge/ua-leg';
import type { CallDialog } from '../dialogs/call-dialog';
import { reply, type EdgeContext } from '../edge-context';
import { buildResponse } from '../message/build-response';
import { generateTag } from '../message/identifiers';
import type { SipRequest } from '../message/sip-message';
import { dispositionForStatus } from '../proxy/call-outcome';
import { partyOf } from '../proxy/call-parties';
import type { InviteProxy } from '../proxy/invite-proxy';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { Offer, OfferEvents, OfferedAgent, QueueCaller } from './queue-caller';
import { repeatRinging } from './ringing-repeat';

/** Said when a queue's overflow names someone who cannot be rung now. */
const FORWARD_UNREACHABLE = 'Nobody can take your call now';

/** A profile's load as call admission reads it, leaving out `exclude` calls already counted. */
export function profileLoadOf(
  context: EdgeContext,
  account: SipAccount,
  exclude = 0,
  channelsInUse = (profileId: number) => context.dialogs.channelsInUse(profileId),
): ProfileLoad | null {
  const { profile } = account;
  if (!profile) return null;
  return {
    name: profile.name,
    flags: profile.flags,
    channelLimit: profile.channelLimit,
    channelsInUse: channelsInUse(profile.id) - exclude,
  };
}

/**
 * A phone's INVITE to a queue, held by the proxy while the engine offers it: the caller hears
 * the edge's 180, each offer is an attempt of the InviteProxy (the INVITE forked to the agent's
 * phones), and the first answer the engine lets through reaches the caller as from the agent.
 * A CANCEL or the caller's connection closing ends the dialog (the engine counts it abandoned).
 */
export class ProxyQueueCaller implements QueueCaller {
  readonly callId: string;
  readonly userId: number;
  /** Our To tag on the 180 (made with the 180, which goes out after the call's first offer). */
  #tag: string | null = null;
  /** True while the INVITE waits on the engine (no answer taken, not handed to a user). */
  #held = true;
  readonly #stopWatching: () => void;
  /** Stops sending the 180 again (see `repeatRinging`). */
  #stopRinging: () => void = () => undefined;

  constructor(
    private readonly context: EdgeContext,
    private readonly invites: InviteProxy,
    private readonly request: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly connection: SipConnection,
    readonly dialog: CallDialog,
    private readonly caller: SipAccount,
  ) {
    this.callId = dialog.callId;
    this.userId = caller.userId;
    context.cancellables.set(transaction, () => this.#leave('Cancelled by caller'));
    this.#stopWatching = connection.onClose(() => this.#leave('Caller disconnected'));
  }

  callerLoad(channelsInUse?: (profileId: number) => number): ProfileLoad | null {
    // The waiting call already holds one of the caller's channels.
    return profileLoadOf(this.context, this.caller, this.dialog.active ? 1 : 0, channelsInUse);
  }

  /** The caller hears ringing, and gets the same 180 again while they wait (`repeatRinging`). */
  ringing(): void {
    const { context, connection, transaction } = this;
    const ringing = buildResponse(this.request, 180, 'Ringing', {
      toTag: (this.#tag ??= generateTag()),
      headers: [['Contact', edgeContact(context, connection, 'queue')]],
    });
    transaction.respond(ringing);
    context.dialogs.setState(this.dialog, 'ringing');
    this.#stopRinging();
    this.#stopRinging = repeatRinging(() => {
      if (!this.#held || transaction.state !== 'proceeding' || connection.closed) return false;
      transaction.respond(ringing);
      return true;
    }, context.config.sipRingingRepeatMs);
  }

  offer(agent: OfferedAgent, ringMs: number, events: OfferEvents): Offer {
    const { dialog } = this;
    return this.invites.attempt(
      this.request,
      this.transaction,
      this.connection,
      dialog,
      [...agent.bindings],
      {
        ringMs,
        claim: () => {
          if (!this.#held || !events.claim()) return false;
          this.#release();
          dialog.parties.callee = partyOf(agent.account);
          dialog.calleeProfileId = agent.account.profile?.id ?? null;
          return true;
        },
        unanswered: (status) => events.unanswered(status),
      },
    );
  }

  forwardTo(userId: number): void {
    this.#held = false;
    this.#forward(userId).catch((error: unknown) => {
      this.context.log.error('SIP edge: could not forward a queue call', error);
      this.#end(500, 'Server Internal Error', 'The queue could not forward the call');
    });
  }

  refuse(status: number, reason: string): void {
    this.#held = false;
    this.#end(status, reason, reason);
  }

  /** Overflow to a user: the same checks as a direct call, then the proxy rings their phones. */
  async #forward(userId: number): Promise<void> {
    const { context, connection } = this;
    const first = context.location.ofUser(userId)[0];
    const account = first ? await context.accounts.byUsername(first.username) : null;
    if (!this.dialog.active || this.transaction.state !== 'proceeding') return;
    const bindings = context.location.ofUser(userId).filter((b) => b.connection !== connection);
    if (!account || account.userId !== userId || bindings.length === 0) {
      return this.#end(480, FORWARD_UNREACHABLE, 'The queue overflowed to someone not signed in');
    }
    const decision = canPlaceCall(this.callerLoad(), profileLoadOf(context, account));
    if (!decision.allowed) return this.#end(403, decision.reason, decision.reason);
    this.#release();
    this.dialog.parties.callee = partyOf(account);
    this.dialog.calleeProfileId = account.profile?.id ?? null;
    // The proxy takes over the INVITE: its own CANCEL handling, no-answer timer and outcome.
    this.invites.forward(this.request, this.transaction, connection, this.dialog, bindings);
  }

  /** The caller hung up or went away while the INVITE was held. */
  #leave(why: string): void {
    if (!this.dialog.active) return;
    this.#held = false;
    this.#end(487, 'Request Terminated', why);
  }

  #end(status: number, reason: string, recordReason: string): void {
    this.#release();
    if (this.transaction.state === 'proceeding') reply(this.transaction, status, reason);
    this.context.dialogs.end(this.dialog, dispositionForStatus(status), recordReason);
  }

  /** The INVITE is no longer held here: CANCEL and the connection are someone else's business. */
  #release(): void {
    this.#held = false;
    this.#stopRinging();
    this.#stopWatching();
    if (this.context.cancellables.get(this.transaction)) this.context.cancellables.delete(this.transaction);
  }
}
