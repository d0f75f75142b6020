import { Grammar } from 'sip.js/lib/grammar/index.js';

/**
 * The display name the edge vouches for on a request or response (RFC 3325
 * P-Asserted-Identity, `"Agent Three" <sip:1003@domain>`), or null when there is none. It names
 * whom a call really reached, e.g. the party a blind transfer put this phone through to.
 */
export function assertedName(message: { getHeader(name: string): string | undefined }): string | null {
  const value = message.getHeader('P-Asserted-Identity');
  if (!value) return null;
  // sip.js keeps a quoted name's backslash escapes (RFC 3261 quoted-pair).
  const name = (Grammar.nameAddrHeaderParse(value)?.displayName as string | undefined)
    ?.replace(/\\(.)/g, '$1')
    .trim();
  return name ? name : null;
}
