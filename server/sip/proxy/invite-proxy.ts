import type { Disposition } from '../../../contracts/calls';
import { canPlaceCall, type ProfileLoad } from '../../../contracts/policy/call-admission';
import { userCallRecord } from '../records/user-call-record';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { callIdOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import type { Binding } from '../registrar/location-service';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { CallDialog } from '../dialogs/call-dialog';
import { startOutOfDialog } from './identity';
import { hasSdp } from '../bridge/ua-leg';
import type { ExternalNumbers } from '../bridge/external-ring';
import { callerSideOf, partyOf } from './call-parties';
import type { Attempt, AttemptHooks } from './call-attempt';
import { ProxyCall } from './proxy-call';

function loadOf(context: EdgeContext, account: SipAccount): ProfileLoad | null {
  const { profile } = account;
  if (!profile) return null;
  return {
    name: profile.name,
    flags: profile.flags,
    channelLimit: profile.channelLimit,
    channelsInUse: context.dialogs.channelsInUse(profile.id),
  };
}

/** Out-of-dialog INVITEs: identity, routing, policy, forking, and the call's record. */
export class InviteProxy {
  readonly calls = new Set<ProxyCall>();
  /**
   * Rings a callee's external numbers (mobiles) beside their phones. The call stays proxied to
   * the phones; only if a mobile answers first does the edge answer the caller itself and bridge
   * it to the mobile's trunk leg (see ExternalNumbers), so calls to users without one are
   * untouched. Null: nobody's external numbers ring.
   */
  externals: ExternalNumbers | null = null;

  constructor(private readonly context: EdgeContext) {
    // A relayed call's media ends with the call.
    context.dialogs.onChange((dialog) => {
      if (!dialog.active && dialog.relay) void dialog.relay.delete();
    });
  }

  async handle(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<void> {
    const { context } = this;
    const start = await startOutOfDialog(context, request, transaction, connection);
    if (!start || transaction.state !== 'proceeding' || connection.closed) return;
    const { sender: caller, from, fromTag, requestUri, target, addressed: callee } = start;
    if (target === null) return reply(transaction, 404, 'Say whom to call: a user or an extension');
    const callId = callIdOf(request);
    // "To" in the record is whom the edge routed to (the Request-URI's user), never the caller's
    // To header, which a client may fill with anything.
    const host = requestUri?.host ?? '';
    const record = userCallRecord(caller, callee, { callId, fromUri: from.uri, target, host });
    const refuse = (status: number, reason: string, disposition: Disposition) => {
      context.recorder.start(record).finish(disposition, reason);
      reply(transaction, status, reason);
    };
    if (!callee) return refuse(404, `Nobody has the number or name ${target}`, 'failed');
    const decision = canPlaceCall(loadOf(context, caller), loadOf(context, callee));
    if (!decision.allowed) return refuse(403, decision.reason, 'refused');
    const { externals } = this;
    const mobiles = externals !== null && hasSdp(request) && (await externals.has(callee.userId));
    if (transaction.state !== 'proceeding' || connection.closed) return;
    const bindings = context.location.ofUser(callee.userId).filter((b) => b.connection !== connection);
    if (bindings.length === 0 && !mobiles)
      return refuse(480, `${callee.displayName} is not signed in`, 'missed');

    const callerSide = callerSideOf(request, caller, connection, fromTag);
    const dialog = new CallDialog({
      callId,
      caller: callerSide,
      fromHeader: request.headers.get('from') ?? '',
      toHeader: request.headers.get('to') ?? '',
      callerProfileId: caller.profile?.id ?? null,
      calleeProfileId: callee.profile?.id ?? null,
      record: context.recorder.start(record),
      parties: { caller: partyOf(caller), callee: partyOf(callee) },
    });
    if (!mobiles || !externals) return this.forward(request, transaction, connection, dialog, bindings);
    context.dialogs.add(dialog);
    const call = new ProxyCall(context, this.calls, request, transaction, connection, dialog);
    this.calls.add(call);
    call.start(bindings);
    call.ringExternals(externals, callee);
  }

  /**
   * Forwards an INVITE whose dialog is decided: to every binding, the first 2xx wins. `mark`
   * is the monitor mark the edge authorised (set on the forwarded request after stripping).
   */
  forward(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
    dialog: CallDialog,
    bindings: Binding[],
    mark?: string,
  ): void {
    this.context.dialogs.add(dialog);
    const call = new ProxyCall(this.context, this.calls, request, transaction, connection, dialog);
    this.calls.add(call);
    call.start(bindings, mark);
  }

  /**
   * Rings `bindings` for an INVITE held elsewhere (the caller already has its 180 and the dialog
   * is registered): the first 2xx the hooks claim goes to the caller, a failure goes to the hooks.
   */
  attempt(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
    dialog: CallDialog,
    bindings: Binding[],
    hooks: AttemptHooks,
  ): Attempt {
    const call = new ProxyCall(this.context, this.calls, request, transaction, connection, dialog, hooks);
    this.calls.add(call);
    call.start(bindings);
    return { withdraw: () => call.withdraw() };
  }

  /** A connection went away: its unanswered calls and ringing branches end. */
  connectionClosed(connection: SipConnection): void {
    for (const call of [...this.calls]) call.connectionClosed(connection);
  }
}
