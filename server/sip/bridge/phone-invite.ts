import type { CallDialog } from '../dialogs/call-dialog';
import type { EdgeContext } from '../edge-context';
import { toTagOf } from '../message/message-fields';
import { generateBranch } from '../message/identifiers';
import { createRequest, type SipResponse } from '../message/sip-message';
import { assertIdentity } from '../proxy/asserted-identity';
import type { Binding } from '../registrar/location-service';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import { EDGE_USER_AGENT } from '../trunks/uac-request';
import { edgeContact, legRequest, remoteTargetOf, withTag, type UaLeg } from './ua-leg';

/** The methods the edge takes in a dialog with a phone or a carrier (its Allow header). */
export const BRIDGE_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/** What becomes of an INVITE the edge sent to one phone. */
export interface PhoneInviteEvents {
  provisional(response: SipResponse): void;
  /** A 2xx (a repeat of it too: the phone did not get the ACK). */
  answered(response: SipResponse): void;
  /** A failure: the phone's final status and reason phrase, 408 on timeout, 480 on a transport error. */
  failed(status: number, reason: string): void;
}

/** How one phone is rung. */
export interface PhoneInviteInit {
  /** The INVITE's CSeq number (a call rung again gets a new one). */
  readonly cseq: number;
  /** The SDP offer for this phone's kind; none for a late offer (the phone offers in its 2xx). */
  readonly offer?: string;
  /** Whom the warning names when the INVITE cannot be sent ("a phone for a trunk call"). */
  readonly whom: string;
  /** The status `failed` reports when the INVITE cannot be sent. */
  readonly unsentStatus: number;
}

/**
 * Rings one registered phone in the edge's own dialog with it (the edge is the UAC of the
 * browser leg): an INVITE under `dialog`'s Call-ID, From and To, saying who calls. The bridge
 * rings phones this way for a customer's call, a queue's offer and a transfer, so the INVITE is
 * built and its outcomes told apart here once. Null when nothing could be sent.
 */
export function invitePhone(
  context: EdgeContext,
  dialog: CallDialog,
  binding: Binding,
  init: PhoneInviteInit,
  events: PhoneInviteEvents,
): InviteClientTransaction | null {
  const invite = createRequest('INVITE', binding.contactUri, [
    ['Via', context.address.via(generateBranch(), binding.connection)],
    ['Max-Forwards', '70'],
    ['From', dialog.fromHeader],
    ['To', dialog.toHeader],
    ['Call-ID', dialog.callId],
    ['CSeq', `${init.cseq} INVITE`],
    ['Contact', edgeContact(context, binding.connection)],
    ['Allow', BRIDGE_ALLOW],
    ['User-Agent', EDGE_USER_AGENT],
  ]);
  if (init.offer !== undefined) {
    invite.headers.append('Content-Type', 'application/sdp');
    invite.body = init.offer;
  }
  assertIdentity(invite, dialog.parties.caller, context.config.sipDomain);
  try {
    const transaction = context.layer.sendRequest(invite, binding.connection, {
      onProvisional: (response) => events.provisional(response),
      onFinal: (response) => {
        if (response.status >= 200 && response.status < 300) events.answered(response);
        else events.failed(response.status, response.reason);
      },
      onTimeout: () => events.failed(408, ''),
      onTransportError: () => events.failed(480, ''),
    });
    return transaction.kind === 'invite' ? transaction : null;
  } catch (error) {
    context.log.warn(`SIP edge: could not ring ${init.whom}`, error);
    events.failed(init.unsentStatus, '');
    return null;
  }
}

/** A phone's 2xx to the edge's INVITE with CSeq `cseq` in `dialog`. */
export interface PhoneAnswer {
  readonly dialog: CallDialog;
  readonly binding: Binding;
  readonly response: SipResponse;
  readonly cseq: number;
}

/** The edge's dialog with a phone that answered: for the ACK, or the BYE of an answer that came too late. */
function answeredLeg({ dialog, binding, response, cseq }: PhoneAnswer): UaLeg {
  return {
    callId: dialog.callId,
    local: dialog.fromHeader,
    remote: withTag(dialog.toHeader, toTagOf(response) ?? ''),
    target: remoteTargetOf(response, binding.contactUri),
    routes: [],
    connection: binding.connection,
    nextCseq: () => cseq + 1,
  };
}

/** ACKs a phone's 2xx (without a body: the offer was the edge's). */
export function ackPhone(context: EdgeContext, answer: PhoneAnswer): void {
  const ack = legRequest(context, answeredLeg(answer), 'ACK', { cseq: answer.cseq });
  if (ack) context.layer.sendStateless(ack, answer.binding.connection);
}

/**
 * Hangs up a phone whose 2xx (already ACKed) came after the call was taken or given up: several
 * phones rang and only one may keep the call.
 */
export function hangUpLateAnswer(context: EdgeContext, answer: PhoneAnswer): void {
  const bye = legRequest(context, answeredLeg(answer), 'BYE');
  if (!bye) return;
  try {
    context.layer.sendRequest(bye, answer.binding.connection);
  } catch (error) {
    context.log.warn('SIP edge: could not hang up a phone that answered too late', error);
  }
}
