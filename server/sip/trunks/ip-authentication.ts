import { toTagOf, requestUserOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { carriesCredentials } from './challenge-answer';
import type { TrunkRouter } from './trunk-config';

/** The reason phrase of the refusal: what a carrier's engineer reads in their trace. */
export const NOT_A_TRUNK_REASON = 'Forbidden: this address is not a trunk of this server';

/**
 * Whether a Request-URI user names a phone number rather than someone here: `+` and digits, or
 * only digits and at least `minDigits` of them (longer than any extension in use).
 */
export function looksLikePhoneNumber(user: string | null, minDigits = 6): boolean {
  if (user === null) return false;
  if (/^\+[0-9]{1,15}$/.test(user)) return true;
  return /^[0-9]+$/.test(user) && user.length >= minDigits;
}

/**
 * IP authentication at the edge's entry (as Skype Connect's): an out-of-dialog INVITE over UDP or
 * TCP to a phone number, from an address that is no trunk's and without credentials, is refused
 * 403 before anything else is done for it. Null: let the request go on (a trunk's, a desk phone
 * calling someone here, or one answering a challenge, which digest authentication then judges).
 */
export function ipAuthenticationRefusal(
  request: SipRequest,
  connection: SipConnection,
  trunks: Pick<TrunkRouter, 'trunkOf'> | null,
  minDigits = 6,
): { status: 403; reason: string } | null {
  if (request.method !== 'INVITE' || toTagOf(request) !== null) return null;
  if (connection.transport !== 'udp' && connection.transport !== 'tcp') return null;
  if (carriesCredentials(request)) return null;
  if (!looksLikePhoneNumber(requestUserOf(request), minDigits)) return null;
  if (trunks?.trunkOf(connection)) return null;
  return { status: 403, reason: NOT_A_TRUNK_REASON };
}
