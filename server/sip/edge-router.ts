import { MONITOR_HEADER } from '../../contracts/monitor-header';
import type { ExternalNumbers } from './bridge/external-ring';
import type { TrunkCalls } from './bridge/trunk-calls';
import { reply, type EdgeContext } from './edge-context';
import { toTagOf } from './message/message-fields';
import type { SipRequest } from './message/sip-message';
import { routeInDialog } from './proxy/in-dialog-router';
import type { InviteProxy } from './proxy/invite-proxy';
import type { MonitorSessions } from './proxy/monitor-sessions';
import { ALLOWED_METHODS, handleMessage, handleOptions } from './proxy/out-of-dialog';
import { refusalOf } from './proxy/request-validation';
import type { QueueInvites } from './queues/queue-invites';
import { handleRegister } from './registrar/registrar';
import type { InviteServerTransaction } from './transaction/server-transaction';
import type { IncomingRequestContext } from './transaction/transaction-layer';
import type { SipConnection } from './transport/transport';

/** The parts of the edge a request may be handed to. */
export interface EdgeHandlers {
  context: EdgeContext;
  invites: InviteProxy;
  monitors: MonitorSessions;
  /** null: the edge has no queues. */
  queueInvites: QueueInvites | null;
  trunkCalls: TrunkCalls;
  /** null: the edge has no devices. */
  externals: ExternalNumbers | null;
}

/**
 * The edge's request router: checks what RFC 3261 16.3 asks first, then hands each request to
 * the part that owns it (in-dialog, CANCEL, REGISTER, each kind of INVITE, the methods the edge
 * answers itself) and refuses the rest with the methods it allows. It returns the handler's
 * promise as it is (no async wrapper of its own, one promise fewer per request), or nothing
 * when the request was answered at once; it may throw, as a handler may reject.
 */
export function createRequestRouter(
  handlers: EdgeHandlers,
): (request: SipRequest, incoming: IncomingRequestContext) => Promise<void> | void {
  const { context, invites, monitors, queueInvites, trunkCalls, externals } = handlers;

  function handleCancel(
    transaction: NonNullable<IncomingRequestContext['transaction']>,
    target: IncomingRequestContext['cancelTarget'],
    connection: SipConnection,
  ): void {
    if (!target || target.connection !== connection) {
      return reply(transaction, 481, 'Call/Transaction Does Not Exist');
    }
    reply(transaction, 200, 'OK');
    const cancel = context.cancellables.get(target);
    if (cancel) cancel();
    else if (target.state === 'proceeding') reply(target, 487, 'Request Terminated');
  }

  async function handleInvite(
    request: SipRequest,
    transaction: InviteServerTransaction,
    connection: SipConnection,
  ): Promise<void> {
    if (await queueInvites?.handle(request, transaction, connection)) return;
    if (await trunkCalls.handleInvite(request, transaction, connection)) return;
    return invites.handle(request, transaction, connection);
  }

  return function route(request, incoming) {
    const { connection, transaction, cancelTarget } = incoming;
    if (request.method === 'ACK') {
      if (!hasToTag(request) || externals?.handleInDialog(request, null, connection)) return;
      if (!trunkCalls.handleInDialog(request, null, connection))
        return routeInDialog(context, request, null, connection);
      return;
    }
    if (!transaction) return;
    // RFC 3261 16.3: scheme, Max-Forwards, Proxy-Require (and Require where the edge is the
    // UAS) are checked before anything else, authentication included.
    const refusal = refusalOf(request);
    if (refusal) return reply(transaction, refusal.status, refusal.reason, refusal.headers);
    if (request.method === 'CANCEL') return handleCancel(transaction, cancelTarget, connection);
    if (hasToTag(request)) {
      if (externals?.handleInDialog(request, transaction, connection)) return;
      if (trunkCalls.handleInDialog(request, transaction, connection)) return;
      return routeInDialog(context, request, transaction, connection);
    }
    switch (request.method) {
      case 'REGISTER':
        return handleRegister(context, request, transaction, connection);
      case 'INVITE':
        if (transaction.kind !== 'invite') return;
        if (request.headers.has(MONITOR_HEADER))
          return monitors.handleInvite(request, transaction, connection);
        return handleInvite(request, transaction, connection);
      case 'OPTIONS':
        return handleOptions(context, request, transaction, connection);
      case 'MESSAGE':
        return handleMessage(context, request, transaction, connection);
      case 'BYE':
      case 'UPDATE':
      case 'INFO':
      case 'PRACK':
      case 'NOTIFY':
        return reply(transaction, 481, 'Call/Transaction Does Not Exist');
      case 'SUBSCRIBE':
      case 'PUBLISH':
      case 'REFER':
        return reply(transaction, 405, 'Method Not Allowed', [['Allow', ALLOWED_METHODS]]);
      default:
        return reply(transaction, 501, 'Not Implemented', [['Allow', ALLOWED_METHODS]]);
    }
  };
}

function hasToTag(request: SipRequest): boolean {
  return toTagOf(request) !== null;
}
