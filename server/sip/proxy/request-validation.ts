import { isToken, parseDecimal } from '../message/header-syntax';
import { requestUriOf, toTagOf } from '../message/message-fields';
import type { SipRequest } from '../message/sip-message';

/** Why a request is refused before anything else looks at it, and the headers to add. */
export interface RequestRefusal {
  status: number;
  reason: string;
  headers?: [string, string][];
}

/**
 * Whether the edge itself is the request's final recipient (the registrar, or an OPTIONS
 * probe outside a dialog) rather than a proxy passing it on.
 */
function answeredByEdge(request: SipRequest): boolean {
  return (request.method === 'REGISTER' || request.method === 'OPTIONS') && toTagOf(request) === null;
}

/** Option tags of Require or Proxy-Require; null when one is not a token. */
function optionTags(request: SipRequest, header: 'require' | 'proxy-require'): string[] | null {
  const tags = request.headers.getAll(header).filter((tag) => tag !== '');
  return tags.every(isToken) ? tags : null;
}

function badExtension(header: string, tags: string[]): RequestRefusal {
  return {
    status: 420,
    reason: `Unsupported ${header} option${tags.length === 1 ? '' : 's'}: ${tags.join(', ')}`.slice(0, 200),
    headers: [['Unsupported', tags.join(', ')]],
  };
}

/**
 * RFC 3261 16.3 request validation, done before routing, authentication or anything else
 * (the parser has already checked the grammar and the mandatory headers):
 * 1. reasonable syntax: a SIP Request-URI parses and carries no headers (19.1.1);
 * 2. the URI scheme is one the edge serves (416);
 * 3. Max-Forwards 0 is not forwarded (483), unless the edge is the final recipient;
 * 5. no Proxy-Require option, since the edge supports none (420 listing them).
 * (4, loop detection, is left to Max-Forwards: the edge never sends a request to itself.)
 * When the edge answers the request itself, Require is checked as a UAS does (8.2.2.3).
 * ACK is not validated (it gets no answer); CANCEL is answered hop by hop.
 */
export function refusalOf(request: SipRequest): RequestRefusal | null {
  const colon = request.uri.indexOf(':');
  const scheme = request.uri.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') {
    return {
      status: 416,
      reason: `Unsupported URI scheme ${scheme.slice(0, 32)}: only sip and sips addresses are served`,
    };
  }
  const uri = requestUriOf(request);
  if (!uri) return { status: 400, reason: 'Malformed Request-URI' };
  if (uri.headers.size > 0) return { status: 400, reason: 'The Request-URI must not carry headers' };

  const edgeAnswers = answeredByEdge(request);
  const maxForwards = request.headers.get('max-forwards');
  if (
    maxForwards !== undefined &&
    parseDecimal(maxForwards, 255) === 0 &&
    !edgeAnswers &&
    request.method !== 'CANCEL'
  ) {
    return { status: 483, reason: 'Too Many Hops' };
  }

  const proxyRequire = optionTags(request, 'proxy-require');
  if (proxyRequire === null) return { status: 400, reason: 'Malformed Proxy-Require header' };
  if (proxyRequire.length > 0) return badExtension('Proxy-Require', proxyRequire);

  if (edgeAnswers) {
    const require = optionTags(request, 'require');
    if (require === null) return { status: 400, reason: 'Malformed Require header' };
    if (require.length > 0) return badExtension('Require', require);
  }
  return null;
}
