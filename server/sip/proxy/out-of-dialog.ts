import { reply, type EdgeContext } from '../edge-context';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { prepareForward, relayResponse } from './forwarding';
import { identify, startOutOfDialog } from './identity';

export const ALLOWED_METHODS =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, REFER, NOTIFY, MESSAGE, PRACK';

/**
 * OPTIONS outside a dialog: a keep-alive or capability probe, answered by the edge. A carrier
 * probing its trunk is answered without a challenge (it has no credentials to give).
 */
export async function handleOptions(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<void> {
  const fromTrunk = context.trunks?.trunkOf(connection) != null;
  if (!fromTrunk && !(await identify(context, request, transaction, connection))) return;
  reply(transaction, 200, 'OK', [
    ['Allow', ALLOWED_METHODS],
    ['Accept', 'application/sdp'],
  ]);
}

/** MESSAGE outside a dialog (RFC 3428): to every device of the user, the first 2xx wins. */
export async function handleMessage(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<void> {
  const start = await startOutOfDialog(context, request, transaction, connection);
  if (!start) return;
  const { target, addressed: account } = start;
  if (!account) return reply(transaction, 404, `Nobody has the number or name ${target ?? ''}`);
  const bindings = context.location.ofUser(account.userId).filter((b) => b.connection !== connection);
  if (bindings.length === 0) return reply(transaction, 480, `${account.displayName} is not signed in`);
  let pending = bindings.length;
  let best: SipResponse | null = null;
  const settle = (response: SipResponse | null) => {
    pending--;
    if (transaction.lastResponse && transaction.lastResponse.status >= 200) return;
    if (response && response.status < 300) {
      transaction.respond(relayResponse(response));
      return;
    }
    if (response && (!best || response.status < best.status)) best = response;
    if (pending === 0) {
      if (best) transaction.respond(relayResponse(best));
      else reply(transaction, 480, `${account.displayName} is not signed in`);
    }
  };
  for (const binding of bindings) {
    const forwarded = prepareForward(request, context.address, {
      from: connection,
      to: binding.connection,
      targetKey: binding.id,
      uri: binding.contactUri,
    });
    if (!forwarded) return reply(transaction, 483, 'Too Many Hops');
    try {
      context.layer.sendRequest(forwarded, binding.connection, {
        onFinal: (response) => settle(response),
        onTimeout: () => settle(null),
        onTransportError: () => settle(null),
      });
    } catch (error) {
      context.log.warn('SIP edge: could not forward MESSAGE', error);
      settle(null);
    }
  }
}
