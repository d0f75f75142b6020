import { isIPv6 } from 'node:net';
import type { EdgeContext } from '../edge-context';
import { generateCallId, generateTag } from '../message/identifiers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import type { SipConnection } from '../transport/transport';
import { toCarrierFormat } from '../trunks/number-format';
import type { TrunkConfig } from '../trunks/trunk-config';
import { createUacRequest } from '../trunks/uac-request';
import { trunkFailure } from './carrier-answers';

/** The methods the edge accepts in a carrier leg (its INVITE's and its 2xx's Allow). */
export const CARRIER_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

/**
 * The INVITE to a trunk for `e164`: the trunk's number format and caller ID (a registering
 * trunk's From is its account, the caller ID in P-Asserted-Identity), for an agent's call and an external number's leg alike.
 */
export function carrierInvite(
  context: EdgeContext,
  trunk: TrunkConfig,
  connection: SipConnection,
  e164: string,
  offer: string,
): SipRequest {
  const host = `${isIPv6(trunk.host) ? `[${trunk.host}]` : trunk.host}:${trunk.port}`;
  const number = toCarrierFormat(e164, trunk.numberFormat);
  const callerId = toCarrierFormat(trunk.callerId, trunk.numberFormat);
  const edgeHost = context.address.hostPortFor(connection) ?? context.address.domain;
  const fromUri =
    trunk.auth.kind === 'register' ? `sip:${trunk.auth.username}@${host}` : `sip:${callerId}@${edgeHost}`;
  const invite = createUacRequest(context.address, connection, {
    method: 'INVITE',
    uri: `sip:${number}@${host}${trunk.transport === 'tcp' ? ';transport=tcp' : ''}`,
    fromUri,
    toUri: `sip:${number}@${host}`,
    callId: generateCallId(),
    fromTag: generateTag(),
    body: offer,
  });
  if (trunk.auth.kind === 'register') invite.headers.set('P-Asserted-Identity', `<sip:${callerId}@${host}>`);
  invite.headers.set('Allow', CARRIER_ALLOW);
  return invite;
}

/** What a carrier INVITE's sender hears back: answers, or the trunk failing as a sentence. */
export type CarrierInviteHandlers = {
  provisional(response: SipResponse): void;
  final(response: SipResponse): void;
  /** No answer, unreachable, or not sendable: the sentence names the trunk. */
  failed(failure: string): void;
};

/**
 * Sends an INVITE to `trunk` on `connection`; a timeout, a transport error or a send that throws
 * comes back through `failed`. Returns the INVITE transaction (to CANCEL it), or null.
 */
export function sendCarrierInvite(
  context: EdgeContext,
  trunk: TrunkConfig,
  connection: SipConnection,
  invite: SipRequest,
  handlers: CarrierInviteHandlers,
): InviteClientTransaction | null {
  try {
    const transaction = context.layer.sendRequest(invite, connection, {
      onProvisional: (response) => handlers.provisional(response),
      onFinal: (response) => handlers.final(response),
      onTimeout: () => handlers.failed(trunkFailure(trunk.name, null, 'no answer')),
      onTransportError: () => handlers.failed(trunkFailure(trunk.name, null, 'could not be reached')),
    });
    return transaction.kind === 'invite' ? transaction : null;
  } catch (error) {
    handlers.failed(trunkFailure(trunk.name, null, `could not be sent to (${(error as Error).message})`));
    return null;
  }
}
