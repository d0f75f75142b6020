import type { Party } from '../dialogs/call-dialog';
import { quote } from '../message/header-syntax';
import type { SipMessage } from '../message/sip-message';

/**
 * RFC 3325: who the edge vouches a party of a call is, `"Display Name" <sip:extension@domain>`,
 * set on the INVITE it forwards (the caller) and on the 18x and 2xx it relays back (the callee),
 * in place of any a client wrote. A phone shows this name: the transferred caller learns whom
 * a REFER put it through to, which its own To header cannot say.
 */
export function assertIdentity<T extends SipMessage>(message: T, party: Party, domain: string): T {
  message.headers.set(
    'P-Asserted-Identity',
    `${quote(party.displayName)} <sip:${party.extension}@${domain}>`,
  );
  return message;
}
