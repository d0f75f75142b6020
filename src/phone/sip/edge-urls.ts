import type { SipCredentials } from '../../../contracts/sip';

/**
 * A WebSocket URL from the page's origin and what the server names: a path (`/sip`, on this
 * origin, ws: or wss: as the page is http: or https:) or a whole ws(s):// URL, kept as it is.
 */
export function webSocketUrl(origin: string, path: string): string {
  const url = new URL(path, origin);
  if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol === 'http:') url.protocol = 'ws:';
  return url.toString();
}

/**
 * The SIP edges the phone may connect to, in order: the server's `wsUrls` list (SIP_WS_URLS)
 * when it gives one, otherwise the built-in edge at `wsPath` on this origin.
 */
export function edgeUrls(credentials: SipCredentials, origin: string): string[] {
  const listed = credentials.wsUrls ?? [];
  const urls = listed.length > 0 ? listed : [credentials.wsPath];
  return urls.map((url) => webSocketUrl(origin, url));
}
