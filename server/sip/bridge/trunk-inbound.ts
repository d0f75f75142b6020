import type { QueueConfig } from '../../contact-center/queue-ports';
import type { NewCall } from '../../store/calls-repository';
import { findGroup } from '../../store/groups-repository';
import { reply } from '../edge-context';
import { CallDialog, type Party } from '../dialogs/call-dialog';
import { callIdOf, fromUserOf, requestUserOf, toUserOf } from '../message/message-fields';
import { generateCallId, generateTag } from '../message/identifiers';
import type { SipRequest } from '../message/sip-message';
import type { QueueEngine } from '../queues/queue-engine';
import { queueParty } from '../queues/queue-invites';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { fromCarrierFormat } from '../trunks/number-format';
import type { TrunkConfig } from '../trunks/trunk-config';
import type { RingTarget } from './bridge-host';
import { BridgedCall, customerParty, customerSide } from './bridged-call';
import { ringExternals } from './external-ring';
import { HeldCarrierInvite } from './held-carrier-invite';
import { InboundCall } from './inbound-call';
import { QueuedInboundCall } from './queued-inbound-call';
import type { TrunkCallHost } from './trunk-call-host';
import { hasSdp } from './ua-leg';

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '')}"`;
}

/**
 * Takes a customer's call from a trunk: the number called (the Request-URI's user, else To's) in
 * the trunk's number format, and whom it is assigned to: a user (their phones, and their external
 * numbers beside them), a group (its members' phones) or a queue (its line). Refusals are recorded
 * and answered with a sentence the carrier passes on; otherwise the bridged call is registered
 * and its InboundCall or QueuedInboundCall started.
 */
export async function takeInbound(
  host: TrunkCallHost,
  trunk: TrunkConfig,
  request: SipRequest,
  transaction: InviteServerTransaction,
  connection: SipConnection,
): Promise<void> {
  const { context, numbers, media } = host;
  const { defaultCountryCode } = context.config;
  const read = (user: string | null) =>
    user === null ? null : fromCarrierFormat(user, trunk.numberFormat, defaultCountryCode);
  const fromUser = fromUserOf(request);
  const customerNumber = read(fromUser) ?? fromUser ?? 'anonymous';
  // The number called: the Request-URI's user, or To's (a registering trunk's Request-URI may
  // name the registration's Contact instead).
  let dialled = read(requestUserOf(request));
  let assignment = dialled && numbers ? await numbers.assignmentOf(dialled) : null;
  if (!assignment) {
    const toNumber = read(toUserOf(request));
    if (toNumber && toNumber !== dialled && numbers) {
      assignment = await numbers.assignmentOf(toNumber);
      if (assignment || !dialled) dialled = toNumber;
    }
  }
  if (transaction.state !== 'proceeding') return;
  const record: NewCall = {
    callId: callIdOf(request),
    fromUri: `tel:${customerNumber}`,
    fromName: customerNumber,
    fromUserId: null,
    toUri: `tel:${dialled ?? requestUserOf(request) ?? ''}`,
    toName: null,
    toUserId: null,
    callerProfileId: null,
    callerProfile: null,
    calleeProfileId: null,
    calleeProfile: null,
    direction: 'inbound',
    number: customerNumber,
    trunk: trunk.name,
  };
  const refuse = (status: number, reason: string, disposition: 'failed' | 'missed' | 'refused') => {
    context.recorder.start(record).finish(disposition, reason);
    reply(transaction, status, reason);
  };
  if (!assignment || !dialled) return refuse(404, 'Not in service', 'failed');

  let targets: RingTarget[] = [];
  let callee: Party;
  let queued: { engine: QueueEngine; queue: QueueConfig } | null = null;
  /** The user's mobiles ring too: a user with no phone signed in is still reached on them. */
  let mobiles = false;
  if (assignment.kind === 'user') {
    targets = await host.ringTargets((userId) => userId === assignment.userId);
    const binding = targets[0]?.binding;
    const account = binding ? null : await context.accounts.byId(assignment.userId);
    mobiles = host.externals !== null && (await host.externals.has(assignment.userId));
    const person = binding ?? account;
    record.toUserId = assignment.userId;
    callee = person
      ? {
          userId: assignment.userId,
          username: person.username,
          displayName: person.displayName,
          extension: person.extension,
        }
      : { userId: assignment.userId, username: dialled, displayName: dialled, extension: dialled };
    record.toName = person?.displayName ?? null;
    record.calleeProfileId = targets[0]?.profileId ?? account?.profile?.id ?? null;
    record.calleeProfile = binding?.profileName ?? account?.profile?.name ?? null;
  } else if (assignment.kind === 'group') {
    const group = await findGroup(host.db, assignment.groupId);
    const name = group?.name ?? null;
    targets =
      name === null ? [] : await host.ringTargets((userId) => context.accounts.isMember(name, userId));
    callee = { userId: null, username: name ?? dialled, displayName: name ?? dialled, extension: dialled };
    record.toName = name;
  } else {
    // The caller waits in the queue's line for an Available agent.
    const engine = host.queues;
    const queue = engine?.queueById(assignment.queueId) ?? null;
    if (!engine || !queue) return refuse(404, 'Not in service', 'failed');
    queued = { engine, queue };
    callee = queueParty(queue);
    record.toName = callee.displayName;
  }
  if (transaction.state !== 'proceeding') return;
  if (!queued && targets.length === 0 && !mobiles)
    return refuse(480, 'Nobody is available to take the call', 'missed');
  media.start();
  const status = media.status();
  if (status.state === 'off') return refuse(503, status.problem.replace(/\.$/, ''), 'failed');
  if (!hasSdp(request)) return refuse(488, 'An INVITE without an SDP offer is not supported', 'failed');

  const tag = generateTag();
  const customer = customerSide('caller', customerNumber, tag);
  // The edge's INVITE to the phones was CSeq 1: its next request there (a BYE, a re-INVITE) is 2.
  customer.cseq = 1;
  const dialog = new CallDialog({
    callId: generateCallId(),
    caller: customer,
    fromHeader: `${quoted(customerNumber)} <sip:${customerNumber}@${context.config.sipDomain}>;tag=${tag}`,
    toHeader: `<sip:${dialled}@${context.config.sipDomain}>`,
    callerProfileId: null,
    calleeProfileId: assignment.kind === 'user' ? record.calleeProfileId : null,
    record: context.recorder.start(record),
    parties: { caller: customerParty(customerNumber), callee },
  });
  const call = new BridgedCall('inbound', dialog, customer, customerNumber, trunk);
  const held = new HeldCarrierInvite(host, call, request, transaction, connection, generateTag());
  const setup = queued
    ? new QueuedInboundCall(host, call, held, queued.engine, queued.queue)
    : new InboundCall(host, call, held, targets);
  host.register(call, setup);
  context.dialogs.add(dialog);
  const { externals } = host;
  // Asked once above: a user without mobiles has nothing more to ring.
  if (mobiles && externals && setup instanceof InboundCall && assignment.kind === 'user') {
    setup.externalPending = true;
    ringExternals(externals, context, assignment.userId, {
      request,
      transaction,
      connection,
      dialog,
      callerMedia: 'trunk',
      host: {
        takeOver: () => setup.takeOver() && host.handOff(call),
        externalsOver: () => setup.externalsOver(),
      },
    });
  }
  await setup.start();
}
