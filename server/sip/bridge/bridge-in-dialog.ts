import type { MediaSide } from '../../media/media-bridge';
import { reply } from '../edge-context';
import { buildResponse } from '../message/build-response';
import { cseqOf } from '../message/message-fields';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { byeSaysNoMedia } from '../proxy/call-outcome';
import type { ServerTransaction } from '../transaction/server-transaction';
import { MEDIA_TAG, repeatUntilAck, type BridgedCall } from './bridged-call';
import type { BridgeHost } from './bridge-host';
import { referInBridge, referrerLeaves } from './bridge-transfer';
import { mediaSentence } from './outbound-call';
import { edgeContact, hasSdp, legRequest, remoteTargetOf, textBody, type UaLeg } from './ua-leg';

/** Headers an in-dialog request keeps when the edge sends it on in the other leg. */
const PASSED_HEADERS = ['content-disposition', 'info-package', 'event', 'subscription-state', 'reason'];

/**
 * A request inside a bridged call, from the agent's phone (`from: 'browser'`) or the carrier
 * (`'trunk'`): BYE ends both legs; a re-INVITE (hold, an ICE restart after a reconnect) has its
 * offer and answer rewritten by the media bridge and goes on as the edge's own re-INVITE in the
 * other leg; INFO (DTMF) and the rest go on as the edge's requests, their final status coming back.
 * ACKs end here: the edge acknowledged the other leg's 2xx itself.
 */
export async function bridgeInDialog(
  host: BridgeHost,
  call: BridgedCall,
  from: MediaSide,
  request: SipRequest,
  transaction: ServerTransaction | null,
): Promise<void> {
  if (request.method === 'ACK') {
    if (from === 'trunk') {
      call.stopRepeating?.();
      call.stopRepeating = null;
    } else {
      call.stopRepeatingToAgent?.();
      call.stopRepeatingToAgent = null;
      call.agentConfirmed();
    }
    return;
  }
  if (!transaction) return;
  switch (request.method) {
    case 'BYE':
      // The agent hanging up during (or right after) a transfer leaves the customer to it.
      if (from === 'browser' && referrerLeaves(call, transaction)) return;
      return hangUp(host, call, from, request, transaction);
    case 'INVITE':
      return reinvite(host, call, from, request, transaction);
    case 'OPTIONS':
      return reply(transaction, 200, 'OK', [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE']]);
    case 'UPDATE':
      // A session refresh; an UPDATE with an offer is not bridged (neither side needs one).
      if (hasSdp(request)) return reply(transaction, 488, 'Not Acceptable Here');
      return reply(transaction, 200, 'OK');
    case 'REFER':
      if (from === 'trunk') return reply(transaction, 501, 'Transfer by the carrier is not supported');
      return referInBridge(host, call, request, transaction);
    default:
      return pass(host, call, from, request, transaction);
  }
}

function hangUp(
  host: BridgeHost,
  call: BridgedCall,
  from: MediaSide,
  request: SipRequest,
  transaction: ServerTransaction,
): void {
  reply(transaction, 200, 'OK');
  const noMedia = byeSaysNoMedia(request.headers.getAll('reason'));
  if (from === 'browser') {
    host.finish(call, {
      disposition: noMedia ? 'no-media' : 'answered',
      reason: noMedia
        ? `No audio path to ${call.number} (${call.agent?.username ?? 'the agent'}'s phone found none)`
        : `Ended by ${call.agent?.username ?? 'the agent'}`,
      byeCarrier: noMedia ? 'SIP;cause=488;text="no-media"' : 'SIP;cause=200;text="Call completed"',
    });
  } else {
    host.finish(call, {
      disposition: 'answered',
      reason: `Ended by ${call.number}`,
      byeBrowser: 'SIP;cause=200;text="The customer hung up"',
    });
  }
}

function otherLeg(call: BridgedCall, from: MediaSide): UaLeg | null {
  return from === 'browser' ? call.carrier : call.browser;
}

function unreachable(call: BridgedCall, from: MediaSide): string {
  return from === 'browser'
    ? `The carrier of ${call.number} cannot be reached`
    : `${call.agent?.username ?? 'The agent'} is reconnecting; try again in a moment`;
}

/** A re-INVITE: its offer rewritten for the other leg, sent there as the edge's, the answer back. */
async function reinvite(
  host: BridgeHost,
  call: BridgedCall,
  from: MediaSide,
  request: SipRequest,
  transaction: ServerTransaction,
): Promise<void> {
  const { context, media } = host;
  if (transaction.kind !== 'invite') return;
  if (call.updating) return reply(transaction, 491, 'Request Pending');
  const sender = from === 'browser' ? call.agent : null;
  if (sender) sender.contactUri = remoteTargetOf(request, sender.contactUri);
  else if (call.carrier) call.carrier.target = remoteTargetOf(request, call.carrier.target);
  const respond200 = (sdp: string) => {
    const ok = buildResponse(request, 200, 'OK', {
      headers: [
        ['Contact', edgeContact(context, transaction.connection)],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    transaction.respond(ok);
    if (from === 'trunk') {
      call.sdpToCarrier = sdp;
      call.stopRepeating?.();
      call.stopRepeating = repeatUntilAck(transaction, ok);
    } else {
      // A desk phone over UDP: the 2xx is the edge's to repeat until its ACK.
      call.stopRepeatingToAgent?.();
      call.stopRepeatingToAgent = repeatUntilAck(transaction, ok);
    }
  };
  if (!hasSdp(request)) {
    // An offerless re-INVITE (a carrier's session refresh): the carrier gets what it had.
    if (from === 'trunk' && call.sdpToCarrier) return respond200(call.sdpToCarrier);
    return reply(transaction, 488, 'A re-INVITE needs an SDP offer');
  }
  const to: MediaSide = from === 'browser' ? 'trunk' : 'browser';
  const leg = otherLeg(call, from);
  call.updating = true;
  let offer: string;
  try {
    offer = await media.offer({
      callId: call.mediaId,
      fromTag: MEDIA_TAG[from],
      sdp: textBody(request),
      toward: to === 'browser' ? call.agentMedia : 'trunk',
    });
  } catch (error) {
    call.updating = false;
    return reply(transaction, 488, mediaSentence(error));
  }
  const out = leg && !call.ended ? legRequest(context, leg, 'INVITE', { body: offer }) : null;
  if (!leg || !out) {
    call.updating = false;
    return reply(transaction, 480, unreachable(call, from));
  }
  if (to === 'trunk') call.sdpToCarrier = offer;
  const cseq = cseqOf(out)?.seq ?? 1;
  const connection = leg.connection;
  if (!connection) return;
  let answered = false;
  const done = () => {
    call.updating = false;
    context.cancellables.delete(transaction);
  };
  try {
    const client = context.layer.sendRequest(out, connection, {
      onFinal: (response: SipResponse) => {
        if (response.status >= 300) {
          done();
          return reply(transaction, response.status, response.reason);
        }
        const ack = legRequest(context, leg, 'ACK', { cseq });
        if (ack) context.layer.sendStateless(ack, connection);
        if (answered) return;
        answered = true;
        if (to === 'browser' && call.agent)
          call.agent.contactUri = remoteTargetOf(response, call.agent.contactUri);
        if (to === 'trunk' && call.carrier)
          call.carrier.target = remoteTargetOf(response, call.carrier.target);
        media
          .answer({
            callId: call.mediaId,
            fromTag: MEDIA_TAG[from],
            toTag: MEDIA_TAG[to],
            sdp: textBody(response),
            toward: from === 'browser' ? call.agentMedia : 'trunk',
          })
          .then(
            (sdp) => {
              done();
              respond200(sdp);
            },
            (error: unknown) => {
              done();
              reply(transaction, 488, mediaSentence(error));
            },
          );
      },
      onTimeout: () => {
        done();
        reply(transaction, 408, 'Request Timeout');
      },
      onTransportError: () => {
        done();
        reply(transaction, 480, unreachable(call, from));
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
    done();
    context.log.warn('SIP edge: could not send a re-INVITE in a trunk call', error);
    reply(transaction, 500, 'Server Internal Error');
  }
}

/** INFO (DTMF), MESSAGE, NOTIFY…: sent on in the other leg as the edge's request; its final status comes back. */
function pass(
  host: BridgeHost,
  call: BridgedCall,
  from: MediaSide,
  request: SipRequest,
  transaction: ServerTransaction,
): void {
  const { context } = host;
  const leg = otherLeg(call, from);
  const headers = PASSED_HEADERS.flatMap((name) =>
    request.headers.getAll(name).map((value) => [name, value] as const),
  );
  const out = leg
    ? legRequest(context, leg, request.method, {
        body: textBody(request),
        contentType: request.headers.get('content-type') ?? 'text/plain',
        headers,
      })
    : null;
  const connection = leg?.connection;
  if (!out || !connection) return reply(transaction, 480, unreachable(call, from));
  try {
    context.layer.sendRequest(out, connection, {
      onFinal: (response) => reply(transaction, response.status, response.reason),
      onTimeout: () => reply(transaction, 408, 'Request Timeout'),
      onTransportError: () => reply(transaction, 480, unreachable(call, from)),
    });
  } catch (error) {
    context.log.warn('SIP edge: could not pass a request in a trunk call', error);
    reply(transaction, 500, 'Server Internal Error');
  }
}
