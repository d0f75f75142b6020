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

/** Spellings seen so far and their keys; bounded, as names come from the wire. */
const keysBySpelling = new Map<string, string>();
const MAX_SPELLINGS = 1024;

/**
 * The lookup key of a header name: lowercase, compact form expanded. Every header of every
 * message asks this several times with a handful of spellings, so the answers are remembered
 * (lowercasing each time was 2 % of a registration's CPU in bench:sip).
 */
export function headerKey(name: string): string {
  const known = keysBySpelling.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  const key = compactForms.get(lower) ?? lower;
  if (keysBySpelling.size < MAX_SPELLINGS) keysBySpelling.set(name, key);
  return key;
}

/** The name used on output: the RFC spelling for known headers, otherwise as given. */
export function canonicalHeaderName(name: string): string {
  return canonicalNames.get(headerKey(name)) ?? name;
}

export function isListHeader(name: string): boolean {
  return listHeaders.has(headerKey(name));
}
