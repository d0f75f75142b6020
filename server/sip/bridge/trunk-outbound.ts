import { canPlaceCall, type ProfileLoad } from '../../../contracts/policy/call-admission';
import { canCallNumber, type DialledNumber } from '../../../contracts/policy/outbound-dialing';
import type { NewCall } from '../../store/calls-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { CallDialog } from '../dialogs/call-dialog';
import { callIdOf } from '../message/message-fields';
import { generateTag } from '../message/identifiers';
import type { SipRequest } from '../message/sip-message';
import { startOutOfDialog } from '../proxy/identity';
import { callerSideOf, partyOf } from '../proxy/call-parties';
import { mediaSideOf } from '../proxy/media-relay';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { BridgedCall, customerParty, customerSide } from './bridged-call';
import { OutboundCall } from './outbound-call';
import type { TrunkCallHost } from './trunk-call-host';
import { hasSdp } from './ua-leg';

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

/**
 * Places an agent's call to a customer's number (from a browser or a desk phone): the caller
 * authenticated, the number and the profile's channels and credit admitted (refusals recorded and
 * answered with a sentence the phone shows), then the bridged call registered and its OutboundCall
 * started over the routes that carry the number.
 */
export async function placeOutbound(
  host: TrunkCallHost,
  dialled: DialledNumber,
  request: SipRequest,
  transaction: InviteServerTransaction,
  connection: SipConnection,
): Promise<void> {
  const { context, charging, media } = host;
  const start = await startOutOfDialog(context, request, transaction, connection);
  if (!start || transaction.state !== 'proceeding' || connection.closed) return;
  const { sender: caller, from, fromTag } = start;
  const { e164 } = dialled;
  const routes = host.trunks()?.routesFor(e164) ?? [];
  const callId = callIdOf(request);
  const record: NewCall = {
    callId,
    fromUri: from.uri,
    fromName: caller.displayName,
    fromUserId: caller.userId,
    toUri: `tel:${e164}`,
    toName: null,
    toUserId: null,
    callerProfileId: caller.profile?.id ?? null,
    callerProfile: caller.profile?.name ?? null,
    calleeProfileId: null,
    calleeProfile: null,
    direction: 'outbound',
    number: e164,
    trunk: routes[0]?.name ?? null,
  };
  const refuse = (status: number, reason: string, disposition: 'refused' | 'failed') => {
    context.recorder.start(record).finish(disposition, reason);
    reply(transaction, status, reason);
  };
  const allowed = canCallNumber(caller.profile, dialled);
  if (!allowed.allowed) return refuse(403, allowed.reason, 'refused');
  const admitted = canPlaceCall(loadOf(context, caller), null);
  if (!admitted.allowed) return refuse(403, admitted.reason, 'refused');
  const price = await charging.admit(caller.profile?.id ?? null, e164);
  if (transaction.state !== 'proceeding' || connection.closed) return;
  if (!price.allowed) return refuse(price.status, price.reason, 'refused');
  const first = routes[0];
  if (!first) return refuse(503, `No trunk can call ${e164}: ask your administrator to add one`, 'failed');
  media.start();
  const status = media.status();
  if (status.state === 'off') return refuse(503, status.problem.replace(/\.$/, ''), 'failed');
  if (!hasSdp(request)) return refuse(488, 'The call has no audio offer (SDP)', 'failed');

  const customer = customerSide('callee', e164, generateTag());
  const dialog = new CallDialog({
    callId,
    caller: callerSideOf(request, caller, connection, fromTag),
    fromHeader: request.headers.get('from') ?? '',
    toHeader: request.headers.get('to') ?? '',
    callerProfileId: caller.profile?.id ?? null,
    calleeProfileId: null,
    record: context.recorder.start(record),
    parties: { caller: partyOf(caller), callee: customerParty(e164) },
  });
  const call = new BridgedCall('outbound', dialog, customer, e164, first);
  // A desk phone's RTP is bridged to the carrier's RTP; a browser's WebRTC is.
  call.agentMedia = mediaSideOf(connection);
  if (price.rate && caller.profile)
    charging.reserve(dialog.record, {
      callId,
      profileId: caller.profile.id,
      number: e164,
      rate: price.rate,
      currency: price.rate.currency,
    });
  const setup = new OutboundCall(host, call, request, transaction, connection, routes);
  host.register(call, setup);
  context.dialogs.add(dialog);
  await setup.start();
}
