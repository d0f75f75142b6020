import { createHmac } from 'node:crypto';
import type { IceServer } from '../../contracts/sip';
import type { RelayConfig } from './relay-config';

/**
 * TURN REST credentials (coturn's `use-auth-secret`): username `<expiry unix seconds>:<user>`,
 * password base64(HMAC-SHA1(secret, username)). The relay derives the password again from the
 * username and refuses it once the expiry has passed, so nothing is stored per user.
 */
export function turnCredentials(
  secret: string,
  user: string,
  expiresAt: number,
): { username: string; credential: string } {
  if (user === '' || /[\s:]/.test(user)) throw new Error('A TURN credential needs a plain user name');
  const username = `${Math.floor(expiresAt)}:${user}`;
  return { username, credential: createHmac('sha1', secret).update(username, 'utf8').digest('base64') };
}

/** The host part of a Host header (`example.com:8080`, `[::1]:8080`), as a URL host. */
export function hostOf(hostHeader: string): string {
  const bracketed = /^(\[[^\]]+\])(:\d+)?$/.exec(hostHeader);
  if (bracketed?.[1]) return bracketed[1];
  return hostHeader.replace(/:\d+$/, '');
}

/**
 * The URLs the phones are given: the configured ones for an existing relay; for one this server
 * runs, UDP and TCP on its port and TLS when it has a certificate, at `TURN_HOST` or else the host
 * the phone reached the web app at (the relay runs on the same machine).
 */
export function relayUrls(relay: RelayConfig, requestHost: string): string[] {
  if (relay.kind === 'external') return relay.urls;
  const host = relay.host ?? hostOf(requestHost);
  const urls = [`turn:${host}:${relay.port}?transport=udp`, `turn:${host}:${relay.port}?transport=tcp`];
  if (relay.tls) urls.push(`turns:${host}:${relay.tls.port}?transport=tcp`);
  return urls;
}

/** The phone's ICE server list: the relay's URLs with credentials that end at `expiresAt`. */
export function relayIceServers(
  relay: RelayConfig,
  secret: string,
  user: string,
  expiresAt: number,
  requestHost: string,
): IceServer[] {
  return [{ urls: relayUrls(relay, requestHost), ...turnCredentials(secret, user, expiresAt) }];
}
