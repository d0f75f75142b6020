import type { QueueConfig } from '../../contact-center/queue-ports';
import { canPlaceCall } from '../../../contracts/policy/call-admission';
import type { NewCall } from '../../store/calls-repository';
import { CallDialog, type Party } from '../dialogs/call-dialog';
import { reply, type EdgeContext } from '../edge-context';
import { callIdOf, requestUserOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import { startIdentified } from '../proxy/identity';
import { callerSideOf, partyOf } from '../proxy/call-parties';
import type { InviteProxy } from '../proxy/invite-proxy';
import type { InviteServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { profileLoadOf, ProxyQueueCaller } from './proxy-queue-caller';
import type { QueueEngine } from './queue-engine';

/** How a queue shows as the other party while the caller waits (operator panel, call list). */
export function queueParty(queue: QueueConfig): Party {
  return {
    userId: null,
    username: queue.name,
    displayName: `Queue ${queue.name}`,
    extension: queue.extension,
  };
}

/**
 * INVITEs from phones whose Request-URI user is a queue's extension: the caller is identified
 * as for any call, must be allowed to call with a channel left, and then waits in the queue.
 * Requests from a trunk are the bridge's (it calls `QueueEngine.enqueue` with its own caller).
 */
export class QueueInvites {
  constructor(
    private readonly context: EdgeContext,
    private readonly invites: InviteProxy,
    private readonly engine: QueueEngine,
  ) {}

  /** The queue this INVITE is for, or null when it is not a phone's call to a queue. */
  queueOf(request: SipRequest, connection: SipConnection): QueueConfig | null {
    const target = requestUserOf(request);
    if (target === null || !/^[0-9]+$/.test(target)) return null;
    if (this.context.trunks?.trunkOf(connection)) return null;
    return this.engine.queueByExtension(target);
  }

  /** Takes the INVITE when it is a call to a queue (answered or queued); false otherwise. */
  async handle(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<boolean> {
    const queue = this.queueOf(request, connection);
    if (!queue) return false;
    const { context } = this;
    // The target is the queue: no directory lookup of it (a miss would wait on the database).
    const start = await startIdentified(context, request, transaction, connection);
    if (!start || transaction.state !== 'proceeding' || connection.closed) return true;
    const { sender: caller, from, fromTag, requestUri } = start;
    const callId = callIdOf(request);
    const record: NewCall = {
      callId,
      fromUri: from.uri,
      fromName: caller.displayName,
      fromUserId: caller.userId,
      toUri: `sip:${queue.extension}@${requestUri?.host ?? ''}`,
      toName: `Queue ${queue.name}`,
      toUserId: null,
      callerProfileId: caller.profile?.id ?? null,
      callerProfile: caller.profile?.name ?? null,
      calleeProfileId: null,
      calleeProfile: null,
    };
    const decision = canPlaceCall(profileLoadOf(context, caller), null);
    if (!decision.allowed) {
      context.recorder.start(record).finish('refused', decision.reason);
      reply(transaction, 403, decision.reason);
      return true;
    }
    if (Number(request.headers.get('max-forwards') ?? '70') <= 0) {
      reply(transaction, 483, 'Too Many Hops');
      return true;
    }
    const dialog = new CallDialog({
      callId,
      caller: callerSideOf(request, caller, connection, fromTag),
      fromHeader: request.headers.get('from') ?? '',
      toHeader: request.headers.get('to') ?? '',
      callerProfileId: caller.profile?.id ?? null,
      calleeProfileId: null,
      record: context.recorder.start(record),
      parties: { caller: partyOf(caller), callee: queueParty(queue) },
    });
    context.dialogs.add(dialog);
    const held = new ProxyQueueCaller(
      context,
      this.invites,
      request,
      transaction,
      connection,
      dialog,
      caller,
    );
    this.engine.enqueue(queue, held);
    return true;
  }
}
