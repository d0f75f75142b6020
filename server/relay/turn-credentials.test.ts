import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostOf, relayIceServers, relayUrls, turnCredentials } from './turn-credentials';
import { loadConfig } from '../config';
import type { RelayConfig } from './relay-config';

/** coturn started here with the defaults (relay-config.test.ts says what they are). */
const spawned = spawnedRelay(loadConfig({ TURN: 'spawn' }).relay);

function spawnedRelay(relay: RelayConfig | null): Extract<RelayConfig, { kind: 'spawn' }> {
  if (relay?.kind !== 'spawn') throw new Error('TURN=spawn did not configure a relay this server runs');
  return relay;
}

describe('TURN REST credentials', () => {
  it('username <expiry>:<user>, password base64(HMAC-SHA1(secret, username)), as coturn derives it', () => {
    const issued = turnCredentials('north-wind-secret', 'agent1', 1_900_000_000);
    expect(issued.username).toBe('1900000000:agent1');
    // Computed apart: echo -n 1900000000:agent1 | openssl dgst -sha1 -hmac north-wind-secret -binary | base64
    expect(issued.credential).toBe('c/Plo3lObKO5hLybE9WNo0vM/aA=');
    expect(turnCredentials('another-secret', 'agent1', 1_900_000_000).credential).not.toBe(issued.credential);
    expect(turnCredentials('north-wind-secret', 'agent1', 1_900_000_001).credential).not.toBe(
      issued.credential,
    );
  });

  it('refuses a user name that would change what is signed', () => {
    expect(() => turnCredentials('s', 'agent:1', 1)).toThrow(/plain user name/);
    expect(() => turnCredentials('s', '', 1)).toThrow(/plain user name/);
  });

  it('a relay this server runs: UDP and TCP at the host the phone reached, TLS with a certificate', () => {
    expect(relayUrls(spawned, 'pbx.example.com:8080')).toEqual([
      'turn:pbx.example.com:3478?transport=udp',
      'turn:pbx.example.com:3478?transport=tcp',
    ]);
    expect(relayUrls(spawned, '[2001:db8::1]:8080')[0]).toBe('turn:[2001:db8::1]:3478?transport=udp');
    expect(
      relayUrls({ ...spawned, host: 'relay.example.com', tls: { port: 443, cert: 'c', key: 'k' } }, 'x:1'),
    ).toEqual([
      'turn:relay.example.com:3478?transport=udp',
      'turn:relay.example.com:3478?transport=tcp',
      'turns:relay.example.com:443?transport=tcp',
    ]);
    expect(hostOf('10.0.0.1')).toBe('10.0.0.1');
  });

  it('an existing relay: its URLs, one ICE server with the credentials', () => {
    const relay: RelayConfig = {
      kind: 'external',
      urls: ['turn:r.example.com:3478?transport=udp', 'turns:r.example.com:443?transport=tcp'],
      secret: 'shared-secret-0123',
    };
    const [server, ...more] = relayIceServers(relay, relay.secret, 'agent2', 1_900_000_000, 'ignored:80');
    expect(more).toEqual([]);
    expect(server).toEqual({
      urls: relay.urls,
      username: '1900000000:agent2',
      credential: createHmac('sha1', relay.secret).update('1900000000:agent2').digest('base64'),
    });
  });
});
