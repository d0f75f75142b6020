import { isToken } from './header-syntax';

// Compact forms (RFC 3261 7.3.3 and later RFCs) mapped to their full lowercase names.
const compactForms: ReadonlyMap<string, string> = new Map([
  ['a', 'accept-contact'],
  ['b', 'referred-by'],
  ['c', 'content-type'],
  ['d', 'request-disposition'],
  ['e', 'content-encoding'],
  ['f', 'from'],
  ['i', 'call-id'],
  ['j', 'reject-contact'],
  ['k', 'supported'],
  ['l', 'content-length'],
  ['m', 'contact'],
  ['n', 'identity-info'],
  ['o', 'event'],
  ['r', 'refer-to'],
  ['s', 'subject'],
  ['t', 'to'],
  ['u', 'allow-events'],
  ['v', 'via'],
  ['x', 'session-expires'],
  ['y', 'identity'],
]);

const canonicalNames: ReadonlyMap<string, string> = new Map(
  [
    'Accept',
    'Accept-Contact',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Authentication-Info',
    'Authorization',
    'Call-ID',
    'Call-Info',
    'Contact',
    'Content-Disposition',
    'Content-Encoding',
    'Content-Language',
    'Content-Length',
    'Content-Type',
    'CSeq',
    'Date',
    'Error-Info',
    'Event',
    'Expires',
    'From',
    'Identity',
    'Identity-Info',
    'In-Reply-To',
    'Max-Forwards',
    'Min-Expires',
    'Min-SE',
    'MIME-Version',
    'Organization',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Priority',
    'Privacy',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'Proxy-Require',
    'RAck',
    'Reason',
    'Record-Route',
    'Refer-To',
    'Referred-By',
    'Reject-Contact',
    'Replaces',
    'Reply-To',
    'Request-Disposition',
    'Require',
    'Retry-After',
    'Route',
    'RSeq',
    'Server',
    'Service-Route',
    'Session-Expires',
    'SIP-ETag',
    'SIP-If-Match',
    'Subject',
    'Subscription-State',
    'Supported',
    'Timestamp',
    'To',
    'Unsupported',
    'User-Agent',
    'Via',
    'Warning',
    'WWW-Authenticate',
  ].map((name) => [name.toLowerCase(), name]),
);

// Headers whose grammar is a comma-separated list (RFC 3261 7.3.1). Only these are split:
// splitting others would break values such as Date or a User-Agent with a comma in it, and
// the authentication headers use commas between their own parameters.
const listHeaders: ReadonlySet<string> = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'error-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-preferred-identity',
  'path',
  'privacy',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'route',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
]);

/** What the SIP code needs of a header name; worked out once per spelling (see headerName). */
export interface HeaderName {
  /** The lookup key: lowercase, compact form expanded. */
  key: string;
  /** The name used on output: the RFC spelling for known headers, otherwise as given. */
  canonical: string;
  /** Whether its values are a comma-separated list. */
  list: boolean;
  /** Whether the spelling is a token (RFC 3261 25.1), as a header name on the wire must be. */
  token: boolean;
}

/** Spellings seen so far; bounded, as names come from the wire. */
const namesBySpelling = new Map<string, HeaderName>();
const MAX_SPELLINGS = 1024;

/**
 * The facts of a header name. Every header of every message asks for them several times with a
 * handful of spellings (the parser for each line, lookups, serializing), so they are remembered:
 * lowercasing and checking each time was 2 % of a registration's CPU in bench:sip, and the
 * parser's share of it 8 % of parsing.
 */
export function headerName(spelling: string): HeaderName {
  const known = namesBySpelling.get(spelling);
  if (known !== undefined) return known;
  const lower = spelling.toLowerCase();
  const key = compactForms.get(lower) ?? lower;
  const name: HeaderName = {
    key,
    canonical: canonicalNames.get(key) ?? spelling,
    list: listHeaders.has(key),
    token: isToken(spelling),
  };
  if (namesBySpelling.size < MAX_SPELLINGS) namesBySpelling.set(spelling, name);
  return name;
}

/** The lookup key of a header name: lowercase, compact form expanded. */
export function headerKey(name: string): string {
  return headerName(name).key;
}

/** The name used on output: the RFC spelling for known headers, otherwise as given. */
export function canonicalHeaderName(name: string): string {
  return headerName(name).canonical;
}

export function isListHeader(name: string): boolean {
  return headerName(name).list;
}
