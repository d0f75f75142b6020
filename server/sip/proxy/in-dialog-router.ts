import { MONITOR_HEADER } from '../../../contracts/monitor-header';
import { canTransfer } from '../../../contracts/policy/call-admission';
import { reply, type EdgeContext } from '../edge-context';
import { callIdOf, cseqOf, fromTagOf, toTagOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import { reattach, type CallDialog, type DialogSide } from '../dialogs/call-dialog';
import { byeSaysNoMedia } from './call-outcome';
import { prepareForward, relayResponse } from './forwarding';
import { hasSdp, textBody } from '../bridge/ua-leg';
import { mediaSentence } from '../bridge/outbound-call';

/**
 * Requests inside a dialog (To tag present): ACK, BYE, re-INVITE, UPDATE, INFO, REFER,
 * NOTIFY, MESSAGE, OPTIONS, PRACK. They arrive with our Route (we Record-Routed the
 * INVITE) and go to the other party's current connection, which after a reconnect is the
 * new one.
 */
export async function routeInDialog(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction | null,
  connection: SipConnection,
): Promise<void> {
  const isAck = request.method === 'ACK';
  const answer = (status: number, reason: string) => {
    if (transaction) reply(transaction, status, reason);
  };
  const match = context.dialogs.match(callIdOf(request), fromTagOf(request) ?? '', toTagOf(request) ?? '');
  if (!match) return answer(481, 'Call/Transaction Does Not Exist');
  const { dialog, sender, target } = match;

  if (sender.connection !== connection) {
    // A phone that reconnected speaks from its new connection; only if it registered there.
    const registeredHere = context.location
      .ofConnection(connection.id)
      .some((b) => b.userId === sender.userId);
    if (!registeredHere) return answer(403, 'You are not a party to this call');
    reattach(sender, connection);
  }
  const cseq = cseqOf(request);
  if (cseq && !isAck) sender.cseq = Math.max(sender.cseq, cseq.seq);

  if (request.method === 'REFER') {
    const account = await context.accounts.byUsername(sender.username);
    const decision = canTransfer(account?.profile ?? null);
    if (!decision.allowed) return answer(403, decision.reason);
  }
  const modeChange = await context.monitorModeChange(dialog, sender, request);
  if (modeChange && !modeChange.allowed) return answer(403, modeChange.reason);
  const targetConnection = target.connection;
  if (!targetConnection || targetConnection.closed) {
    if (request.method === 'BYE') endDialog(context, dialog, sender, request);
    return answer(480, `${target.username} is reconnecting; try again in a moment`);
  }
  const forwarded = prepareForward(request, context.address, {
    from: connection,
    to: targetConnection,
    targetKey: `${dialog.id}|${target.role}`,
  });
  if (!forwarded) return answer(483, 'Too Many Hops');
  if (modeChange) forwarded.headers.set(MONITOR_HEADER, modeChange.mark);
  // A relayed call (browser and desk phone): an offer inside it (hold, resume) is rewritten too.
  const relay = dialog.relay;
  const party = sender === dialog.caller ? 'caller' : 'callee';
  const relaysOffer = relay !== null && request.method === 'INVITE' && hasSdp(request);
  if (relaysOffer) {
    try {
      forwarded.body = await relay.offer(party, textBody(request));
    } catch (error) {
      return answer(488, mediaSentence(error));
    }
  }
  if (request.method === 'BYE') endDialog(context, dialog, sender, request);
  if (isAck || !transaction) {
    context.layer.sendStateless(forwarded, targetConnection);
    return;
  }
  try {
    const client = context.layer.sendRequest(forwarded, targetConnection, {
      onProvisional: (response) => {
        if (response.status > 100) transaction.respond(relayResponse(response));
      },
      onFinal: (response) => {
        context.cancellables.delete(transaction);
        if (modeChange && response.status < 300) modeChange.apply();
        if (!relaysOffer || response.status >= 300 || !hasSdp(response) || !relay) {
          transaction.respond(relayResponse(response));
          return;
        }
        relay.answer(party, textBody(response)).then(
          (sdp) => {
            const rewritten = relayResponse(response);
            rewritten.body = sdp;
            transaction.respond(rewritten);
          },
          (error: unknown) => reply(transaction, 488, mediaSentence(error)),
        );
      },
      onTimeout: () => {
        context.cancellables.delete(transaction);
        reply(transaction, 408, 'Request Timeout');
      },
      onTransportError: () => {
        context.cancellables.delete(transaction);
        reply(transaction, 480, `${target.username} is reconnecting; try again in a moment`);
      },
    });
    if (client.kind === 'invite') {
      context.cancellables.set(transaction, () => {
        context.cancellables.delete(transaction);
        try {
          context.layer.cancel(client);
        } catch (error) {
          context.log.warn('SIP edge: could not cancel a re-INVITE', error);
        }
      });
    }
  } catch (error) {
    context.log.warn('SIP edge: could not forward an in-dialog request', error);
    answer(500, 'Server Internal Error');
  }
}

function endDialog(context: EdgeContext, dialog: CallDialog, by: DialogSide, bye: SipRequest): void {
  if (dialog.state === 'answered' && byeSaysNoMedia(bye.headers.getAll('reason'))) {
    context.dialogs.end(
      dialog,
      'no-media',
      `No audio path between the phones (${by.username}'s phone found none)`,
    );
  } else if (dialog.state === 'answered') {
    context.dialogs.end(dialog, 'answered', `Ended by ${by.role === 'caller' ? 'the caller' : 'the callee'}`);
  }
}
