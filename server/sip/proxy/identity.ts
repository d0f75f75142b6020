import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { parseNameAddr } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import { decodedUser, parseSipUri } from '../message/sip-uri';
import type { SipConnection } from '../transport/transport';
import type { ServerTransaction } from '../transaction/server-transaction';

/** The user part of a name-addr header's URI (From, To), decoded; null if none. */
export function headerUser(value: string | undefined): string | null {
  const addr = parseNameAddr(value ?? '');
  const uri = addr ? parseSipUri(addr.uri) : null;
  return uri ? decodedUser(uri) : null;
}

/**
 * Who sent a request outside a dialog: a user registered on this connection, or one who
 * answers a 407 challenge, and in either case the user named in From. Answers the request
 * (407/403) and returns null otherwise.
 */
export async function identify(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<SipAccount | null> {
  const fromUser = headerUser(request.headers.get('from'));
  const registered = context.location.ofConnection(connection.id);
  if (fromUser !== null && registered.some((b) => b.username === fromUser)) {
    const account = await context.accounts.byUsername(fromUser);
    if (account) return account;
  }
  if (context.auth.hasCredentials(request, 'proxy')) {
    const outcome = await context.auth.authenticate(request, 'proxy', connection.remoteAddress);
    if (outcome.kind === 'ok') {
      connection.markAuthenticated();
      if (outcome.account.username === fromUser) return outcome.account;
      reply(transaction, 403, 'From does not match your identity');
      return null;
    }
    if (outcome.kind === 'forbidden') {
      reply(transaction, 403, outcome.reason);
      return null;
    }
    reply(
      transaction,
      407,
      'Proxy Authentication Required',
      context.auth.challengeHeaders('proxy', outcome.stale),
    );
    return null;
  }
  if (registered.length > 0) {
    reply(transaction, 403, 'From does not match your identity');
    return null;
  }
  reply(transaction, 407, 'Proxy Authentication Required', context.auth.challengeHeaders('proxy', false));
  return null;
}

/** The user a Request-URI names, by extension (digits) or username; null when nobody. */
export async function addressedAccount(
  context: EdgeContext,
  target: string | null,
): Promise<SipAccount | null> {
  if (target === null) return null;
  if (/^[0-9]+$/.test(target))
    return (await context.accounts.byExtension(target)) ?? (await context.accounts.byUsername(target));
  return context.accounts.byUsername(target);
}
