import { canTakeSeat } from '../../../contracts/policy/call-admission';
import type { AuthOutcome } from '../auth/authenticator';
import { reply, type EdgeContext } from '../edge-context';
import { formatParams, type Params } from '../message/header-syntax';
import { detached } from '../message/detached-string';
import { parseNameAddr } from '../message/name-addr';
import type { SipRequest } from '../message/sip-message';
import { parseSipUri } from '../message/sip-uri';
import { contactOf, toUserOf } from '../message/message-fields';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { SipConnection } from '../transport/transport';
import type { Binding } from './location-service';
import { opaqueId } from '../message/random-pool';

export const MIN_EXPIRES_SECONDS = 60;
export const MAX_EXPIRES_SECONDS = 3600;
const DEFAULT_EXPIRES_SECONDS = 3600;

interface ContactEntry {
  /** As the message holds it: a binding keeps a detached copy. */
  uri: string;
  key: string;
  /** The Contact's parameters as the parser read them, `expires` among them. */
  params: Params;
  expires: number;
}

type ContactsResult = { star: true } | { star: false; contacts: ContactEntry[] } | null;

function parseExpires(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^[0-9]{1,10}$/.test(text.trim())) return null;
  return Number(text.trim());
}

function readContacts(request: SipRequest): ContactsResult {
  const values = request.headers.getAll('contact');
  const headerExpires = parseExpires(request.headers.get('expires'));
  if (values.length === 1 && values[0]?.trim() === '*') return { star: true };
  const contacts: ContactEntry[] = [];
  for (let i = 0; i < values.length; i++) {
    // The first Contact as the parser's memo holds it (nearly every REGISTER has one).
    const addr = i === 0 ? contactOf(request) : parseNameAddr(values[i] ?? '');
    const uri = addr ? parseSipUri(addr.uri) : null;
    if (!addr || !uri) return null;
    contacts.push({
      uri: addr.uri,
      key: `${uri.user ?? ''}@${uri.host}`.toLowerCase(),
      params: addr.params,
      expires: parseExpires(addr.params.get('expires')) ?? headerExpires ?? DEFAULT_EXPIRES_SECONDS,
    });
  }
  return { star: false, contacts };
}

/**
 * A Contact's parameters as a binding keeps them while the phone stays registered: without
 * `expires` (the binding has its own), and copies, not slices of the message (see detached).
 */
function keptParams(params: Params): Params {
  const kept: Params = new Map();
  for (const [name, value] of params) {
    if (name !== 'expires') kept.set(detached(name), value === null ? null : detached(value));
  }
  return kept;
}

/** Whether a binding's kept parameters are those of the Contact (a refresh nearly always). */
function sameParams(kept: Params, params: Params): boolean {
  let count = 0;
  for (const [name, value] of params) {
    if (name === 'expires') continue;
    count++;
    if (kept.get(name) !== value) return false;
  }
  return count === kept.size;
}

/**
 * The User-Agent a binding keeps: the one it has when the phone still sends the same, else a
 * copy of what it sends now (not a slice of the message).
 */
function keptUserAgent(sent: string | null, current: string | null): string | null {
  return sent === null ? null : sent === current ? current : detached(sent);
}

/**
 * REGISTER (RFC 3261 10.3): digest authentication, the user's own address only, a profile
 * required and its capacity enforced; bindings kept per connection. A desk phone with device
 * credentials registers its device username; its binding is its owner's, marked as that device,
 * and holds the owner's seat like any other phone of theirs.
 */
export function handleRegister(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
): Promise<void> | void {
  const toUser = toUserOf(request);
  if (toUser === null) return reply(transaction, 400, 'The To header names no user');
  const outcome = context.auth.authenticate(request, 'registrar', connection.remoteAddress, connection);
  // A challenge, or a refresh whose account memory holds, is answered at once (see authenticate).
  if (outcome instanceof Promise) {
    return outcome.then((settled) => register(context, request, transaction, connection, toUser, settled));
  }
  return register(context, request, transaction, connection, toUser, outcome);
}

/** REGISTER once its credentials were checked: the bindings, then the answer. */
function register(
  context: EdgeContext,
  request: SipRequest,
  transaction: ServerTransaction,
  connection: SipConnection,
  toUser: string,
  outcome: AuthOutcome,
): void {
  if (outcome.kind === 'challenge') {
    return reply(
      transaction,
      401,
      'Unauthorized',
      context.auth.challengeHeaders('registrar', outcome.stale, connection.transport),
    );
  }
  if (outcome.kind === 'forbidden') return reply(transaction, 403, outcome.reason);
  connection.markAuthenticated();
  const { account, device } = outcome;
  const ownAddress = device
    ? toUser === device.sipUsername
    : toUser === account.username || toUser === account.extension;
  if (!ownAddress) {
    return reply(transaction, 403, 'You may register only your own address');
  }
  const { profile } = account;
  if (!profile) return reply(transaction, 403, 'No SIP profile');
  const contacts = readContacts(request);
  if (!contacts) return reply(transaction, 400, 'Malformed Contact header');
  if (connection.closed) return;
  const { location } = context;

  if (contacts.star) {
    if (parseExpires(request.headers.get('expires')) !== 0) {
      return reply(transaction, 400, 'Contact * needs Expires: 0');
    }
    for (const binding of location.ofConnection(connection.id)) {
      if (binding.userId === account.userId) location.remove(binding);
    }
    return reply(transaction, 200, 'OK');
  }

  for (const contact of contacts.contacts) {
    if (contact.expires > 0 && contact.expires < MIN_EXPIRES_SECONDS) {
      return reply(transaction, 423, 'Interval Too Brief', [['Min-Expires', String(MIN_EXPIRES_SECONDS)]]);
    }
  }
  const adding = contacts.contacts.some(
    (c) => c.expires > 0 && !location.find(connection.id, account.userId, c.key),
  );
  if (adding && !location.holdsSeat(profile.id, account.userId)) {
    const decision = canTakeSeat({
      capacity: profile.capacity,
      seatsInUse: location.seatsInUse(profile.id),
    });
    if (!decision.allowed) return reply(transaction, 403, decision.reason);
  }

  const now = Date.now();
  const userAgent = request.headers.get('user-agent') ?? null;
  for (const contact of contacts.contacts) {
    let existing = location.find(connection.id, account.userId, contact.key);
    if (existing && (existing.profileId !== profile.id || existing.deviceId !== (device?.id ?? null))) {
      location.remove(existing);
      existing = undefined;
    }
    if (contact.expires === 0) {
      if (existing) location.remove(existing);
      continue;
    }
    const expiresAt = now + Math.min(contact.expires, MAX_EXPIRES_SECONDS) * 1000;
    if (existing) {
      // A refresh: what the binding keeps is replaced only when the phone says something new.
      existing.expiresAt = expiresAt;
      if (!sameParams(existing.contactParams, contact.params))
        existing.contactParams = keptParams(contact.params);
      existing.userAgent = keptUserAgent(userAgent, existing.userAgent);
      continue;
    }
    const binding: Binding = {
      id: opaqueId(),
      userId: account.userId,
      username: account.username,
      displayName: account.displayName,
      extension: account.extension,
      profileId: profile.id,
      profileName: profile.name,
      connection,
      contactUri: detached(contact.uri),
      contactKey: contact.key,
      contactParams: keptParams(contact.params),
      expiresAt,
      since: now,
      userAgent: keptUserAgent(userAgent, null),
      remoteAddress: `${connection.remoteAddress}:${connection.remotePort}`,
      deviceId: device?.id ?? null,
      authUsername: device?.sipUsername ?? account.username,
    };
    location.add(binding);
    if (connection.transport === 'udp') dropStaleFlows(context, binding);
    context.dialogs.rebind(account.userId, contact.key, connection);
  }

  const current = location.ofUser(account.userId, now);
  reply(
    transaction,
    200,
    'OK',
    current.map((b) => [
      'Contact',
      `<${b.contactUri}>${formatParams(b.contactParams)};expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
    ]),
  );
}

/**
 * A UDP phone registering the same Contact from another address or port (its NAT mapping
 * changed, or it restarted on another port) leaves its old flow behind: UDP never says that a
 * peer has gone, so that binding is dropped here instead of ringing a dead address.
 */
function dropStaleFlows(context: EdgeContext, binding: Binding): void {
  for (const other of context.location.ofUser(binding.userId)) {
    if (other === binding || other.contactKey !== binding.contactKey) continue;
    if (other.connection.transport === 'udp') context.location.remove(other);
  }
}
