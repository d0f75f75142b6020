import type { SipAccount } from '../../store/sip-accounts-repository';
import { reply, type EdgeContext } from '../edge-context';
import { fromOf, fromTagOf, fromUserOf, requestUriOf, requestUserOf } from '../message/message-fields';
import type { NameAddr } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import type { SipUri } from '../message/sip-uri';
import type { SipConnection } from '../transport/transport';
import type { ServerTransaction } from '../transaction/server-transaction';

/**
 * Who sent a request outside a dialog: a user registered on this connection, or one who
 * answers a 407 challenge, and in either case the user named in From (or the user's desk phone
 * named by its device username: the request is then its owner's, under the owner's profile). Answers the request
 * (407/403) and returns null otherwise. Over UDP a registration vouches for nothing (anyone
 * can send a datagram with a registered phone's source address): every request is challenged.
 */
export async function identify(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<SipAccount | null> {
  const fromUser = fromUserOf(request);
  const registered = connection.transport === 'udp' ? [] : context.location.ofConnection(connection.id);
  const binding = fromUser === null ? undefined : registered.find((b) => b.authUsername === fromUser);
  if (binding) {
    const account = await context.accounts.byId(binding.userId);
    if (account) return account;
  }
  if (context.auth.hasCredentials(request, 'proxy')) {
    const outcome = await context.auth.authenticate(request, 'proxy', connection.remoteAddress, connection);
    if (outcome.kind === 'ok') {
      connection.markAuthenticated();
      // A desk phone with device credentials speaks as its device username, for its owner.
      const speaksAs = outcome.device?.sipUsername ?? outcome.account.username;
      if (speaksAs === fromUser) return outcome.account;
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
      context.auth.challengeHeaders('proxy', outcome.stale, connection.transport),
    );
    return null;
  }
  if (registered.length > 0) {
    reply(transaction, 403, 'From does not match your identity');
    return null;
  }
  reply(
    transaction,
    407,
    'Proxy Authentication Required',
    context.auth.challengeHeaders('proxy', false, connection.transport),
  );
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

/** Who sent a request outside a dialog and from which tag, before it is routed anywhere. */
export type IdentifiedStart = {
  /** Who sent it, authenticated. */
  sender: SipAccount;
  from: NameAddr;
  fromTag: string;
  requestUri: SipUri | null;
  /** The user part of the Request-URI, decoded; null when it names nobody. */
  target: string | null;
};

/** What every request outside a dialog establishes before its own handling. */
export type OutOfDialogStart = IdentifiedStart & {
  /** The user or extension the target names; null when nobody has it. */
  addressed: SipAccount | null;
};

/**
 * The first half of `startOutOfDialog`, for requests whose target is already known not to be
 * a user (a queue's extension): identify the sender and require the From tag, with no lookup of
 * the target (a directory miss asks the database, and every caller of a burst would wait on it).
 */
export async function startIdentified(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<IdentifiedStart | null> {
  const sender = await identify(context, request, transaction, connection);
  if (!sender) return null;
  const from = fromOf(request);
  const fromTag = fromTagOf(request);
  if (!from || fromTag === null) {
    reply(transaction, 400, 'The From header has no tag');
    return null;
  }
  return { sender, from, fromTag, requestUri: requestUriOf(request), target: requestUserOf(request) };
}

/**
 * The prelude INVITE, MESSAGE and monitor requests share: identify the sender (answering
 * 407/403 when it cannot), require the From tag (400), and look up whom the Request-URI
 * addresses. Returns null when the request has been answered; the caller says what an
 * unknown target means for its method.
 */
export async function startOutOfDialog(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<OutOfDialogStart | null> {
  const start = await startIdentified(context, request, transaction, connection);
  if (!start) return null;
  return { ...start, addressed: await addressedAccount(context, start.target) };
}
