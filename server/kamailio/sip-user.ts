import { decodedUser, parseSipUri } from '../sip/message/sip-uri';

/**
 * The user part of a URI Kamailio reported (`$ru`, `$fu`, `$tu`: bare URIs, or a name-addr in
 * angle brackets), %-decoded; null when there is none.
 */
export function sipUserOf(text: string): string | null {
  const inner = /<([^>]*)>/.exec(text)?.[1] ?? text.trim();
  const uri = parseSipUri(inner);
  return uri ? decodedUser(uri) : null;
}
