import type { SipAccount } from '../../store/sip-accounts-repository';
import type { DialogSide, Party } from '../dialogs/call-dialog';
import { contactOf, cseqOf, fromOf } from '../message/message-fields';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { parseSipUri } from '../message/sip-uri';
import type { SipConnection } from '../transport/transport';
import type { Binding } from '../registrar/location-service';

/** A message's Contact: its URI, and the user@host key a dialog side is matched by (lowercase). */
export function contactKeyOf(message: SipRequest | SipResponse): { uri: string; key: string } | null {
  const addr = contactOf(message);
  const uri = addr ? parseSipUri(addr.uri) : null;
  if (!addr || !uri) return null;
  return { uri: addr.uri, key: `${uri.user ?? ''}@${uri.host}`.toLowerCase() };
}

/** The caller's side of a new dialog, from its INVITE. */
export function callerSideOf(
  request: SipRequest,
  caller: SipAccount,
  connection: SipConnection,
  fromTag: string,
): DialogSide {
  const contact = contactKeyOf(request);
  return {
    role: 'caller',
    userId: caller.userId,
    username: caller.username,
    connection,
    contactKey: contact?.key ?? null,
    contactUri: contact?.uri ?? fromOf(request)?.uri ?? '',
    tag: fromTag,
    cseq: cseqOf(request)?.seq ?? 1,
    graceTimer: null,
  };
}

/** A user as the operator panel and the call's record name them. */
export function partyOf(account: SipAccount): Party {
  const { userId, username, displayName, extension } = account;
  return { userId, username, displayName, extension };
}

/** The callee's side of a new dialog: the phone `binding` that answered (or rang) with `response`, under To tag `tag`. */
export function calleeSideOf(binding: Binding, response: SipResponse, tag: string): DialogSide {
  const contact = contactOf(response);
  return {
    role: 'callee',
    userId: binding.userId,
    username: binding.username,
    connection: binding.connection,
    contactKey: binding.contactKey,
    contactUri: contact?.uri ?? binding.contactUri,
    tag,
    cseq: 0,
    graceTimer: null,
  };
}
