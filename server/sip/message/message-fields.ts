import { parseCSeq, type CSeq } from './cseq';
import { parseNameAddr, tagOf, type NameAddr } from './name-addr';
import type { SipMessage, SipRequest } from './sip-message';
import { decodedUser, parseSipUri, type SipUri } from './sip-uri';
import { parseVia, type Via } from './via';

/*
 * What every hop asks of a message, each parsed once per message (memoised by SipHeaders,
 * and dropped when a header is rewritten): From and To with their tags and users, Call-ID,
 * CSeq, the top Via, the first Contact and the Request-URI. Handlers call these instead of
 * parsing header strings themselves.
 */

export function fromOf(message: SipMessage): NameAddr | null {
  return message.headers.parsed('from', parseNameAddr) ?? null;
}

export function toOf(message: SipMessage): NameAddr | null {
  return message.headers.parsed('to', parseNameAddr) ?? null;
}

export function fromTagOf(message: SipMessage): string | null {
  const from = fromOf(message);
  return from ? tagOf(from) : null;
}

export function toTagOf(message: SipMessage): string | null {
  const to = toOf(message);
  return to ? tagOf(to) : null;
}

function uriOf(addr: NameAddr | null): SipUri | null {
  return addr ? parseAddrUri(addr) : null;
}

function parseAddrUri(addr: NameAddr): SipUri | null {
  if (addr.parsedUri === undefined) addr.parsedUri = parseSipUri(addr.uri);
  return addr.parsedUri;
}

/** The SIP URI of From, parsed once. */
export function fromUriOf(message: SipMessage): SipUri | null {
  return uriOf(fromOf(message));
}

/** The SIP URI of To, parsed once. */
export function toUriOf(message: SipMessage): SipUri | null {
  return uriOf(toOf(message));
}

/** The user part of From's URI, decoded; null if none. */
export function fromUserOf(message: SipMessage): string | null {
  const uri = fromUriOf(message);
  return uri ? decodedUser(uri) : null;
}

/** The user part of To's URI, decoded; null if none. */
export function toUserOf(message: SipMessage): string | null {
  const uri = toUriOf(message);
  return uri ? decodedUser(uri) : null;
}

export function callIdOf(message: SipMessage): string {
  return message.headers.get('call-id') ?? '';
}

export function cseqOf(message: SipMessage): CSeq | null {
  return message.headers.parsed('cseq', parseCSeq) ?? null;
}

export function topViaOf(message: SipMessage): Via | null {
  return message.headers.parsed('via', parseVia) ?? null;
}

/** The first Contact (a REGISTER may carry several: read them with getAll). */
export function contactOf(message: SipMessage): NameAddr | null {
  return message.headers.parsed('contact', parseNameAddr) ?? null;
}

/** The Request-URI as a SIP URI (null for another scheme), parsed once per URI text. */
export function requestUriOf(request: SipRequest): SipUri | null {
  const memo = request.parsedUri;
  if (memo && memo.text === request.uri) return memo.uri;
  const uri = parseSipUri(request.uri);
  request.parsedUri = { text: request.uri, uri };
  return uri;
}

/** The user the Request-URI names, decoded; null if none. */
export function requestUserOf(request: SipRequest): string | null {
  const uri = requestUriOf(request);
  return uri ? decodedUser(uri) : null;
}
