import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';

describe('relay configuration', () => {
  it('none by default: the phones get no relay and may use every path', () => {
    expect(loadConfig({})).toMatchObject({ relay: null, iceTransportPolicy: 'all' });
    expect(loadConfig({ TURN: 'off' }).relay).toBeNull();
  });

  it('TURN=spawn: coturn here on 3478, relay ports 49152-65535, TLS only with a certificate', () => {
    expect(loadConfig({ TURN: 'spawn' }).relay).toEqual({
      kind: 'spawn',
      secret: null,
      host: null,
      port: 3478,
      tls: null,
      listenIp: null,
      externalIp: null,
      relayPorts: { min: 49152, max: 65535 },
    });
    expect(
      loadConfig({
        TURN: 'spawn',
        TURN_HOST: 'relay.example.com',
        TURN_PORT: '3479',
        TURN_TLS_CERT: '/etc/ssl/relay.pem',
        TURN_TLS_KEY: '/etc/ssl/relay.key',
        TURN_LISTEN_IP: '10.0.0.5',
        TURN_RELAY_PORTS: '40000-40100',
        ICE_TRANSPORT_POLICY: 'relay',
      }),
    ).toMatchObject({
      relay: {
        host: 'relay.example.com',
        port: 3479,
        tls: { port: 443, cert: '/etc/ssl/relay.pem', key: '/etc/ssl/relay.key' },
        listenIp: '10.0.0.5',
        relayPorts: { min: 40000, max: 40100 },
      },
      iceTransportPolicy: 'relay',
    });
  });

  it('TURN_URLS with TURN_SECRET: an existing relay', () => {
    expect(
      loadConfig({
        TURN_URLS: 'turn:r.example.com:3478?transport=udp, turns:r.example.com:443?transport=tcp',
        TURN_SECRET: 'a-long-shared-secret',
      }).relay,
    ).toEqual({
      kind: 'external',
      urls: ['turn:r.example.com:3478?transport=udp', 'turns:r.example.com:443?transport=tcp'],
      secret: 'a-long-shared-secret',
    });
  });

  it('a wrong value or combination stops the server with a sentence naming it', () => {
    expect(() => loadConfig({ TURN: 'yes' })).toThrow('TURN must be spawn (or off) (got "yes").');
    expect(() =>
      loadConfig({ TURN_URLS: 'stun:r.example.com', TURN_SECRET: 'a-long-shared-secret' }),
    ).toThrow(/TURN_URLS must be a comma-separated list of turn: or turns: URLs/);
    expect(() => loadConfig({ TURN_URLS: 'turn:r.example.com' })).toThrow(/TURN_URLS needs TURN_SECRET/);
    expect(() => loadConfig({ TURN_URLS: 'turn:r.example.com', TURN_SECRET: 'short' })).toThrow(
      /TURN_SECRET must be at least 16 characters/,
    );
    expect(() =>
      loadConfig({ TURN: 'spawn', TURN_URLS: 'turn:r.example.com', TURN_SECRET: 'a-long-shared-secret' }),
    ).toThrow(/Set either TURN=spawn .* or TURN_URLS/);
    expect(() => loadConfig({ TURN: 'spawn', TURN_TLS_CERT: '/c.pem' })).toThrow(
      /TURN_TLS_CERT and TURN_TLS_KEY go together/,
    );
    expect(() => loadConfig({ TURN: 'spawn', TURN_RELAY_PORTS: '50000-40000' })).toThrow(/TURN_RELAY_PORTS/);
    expect(() => loadConfig({ TURN: 'spawn', TURN_LISTEN_IP: 'eth0' })).toThrow(
      /TURN_LISTEN_IP must be an IP address/,
    );
    expect(() => loadConfig({ ICE_TRANSPORT_POLICY: 'relay' })).toThrow(
      'Invalid configuration: ICE_TRANSPORT_POLICY=relay needs a relay: set TURN=spawn or TURN_URLS and TURN_SECRET.',
    );
    expect(() => loadConfig({ ICE_TRANSPORT_POLICY: 'none' })).toThrow(
      /ICE_TRANSPORT_POLICY must be all or relay/,
    );
  });
});
