import type { RelayConfig } from './relay-config';

type SpawnRelay = Extract<RelayConfig, { kind: 'spawn' }>;

/**
 * coturn's configuration for a relay this server runs: its own ports, TURN REST credentials only
 * (`use-auth-secret`: a username `<expiry>:<user>` with the HMAC of it as password, nothing else
 * gets an allocation), no CLI, no multicast or loopback peers, state files in `dir`.
 */
export function coturnConfig(relay: SpawnRelay, secret: string, realm: string, dir: string): string {
  const lines = [
    `listening-port=${relay.port}`,
    ...(relay.tls
      ? [`tls-listening-port=${relay.tls.port}`, `cert=${relay.tls.cert}`, `pkey=${relay.tls.key}`]
      : ['no-tls']),
    'no-dtls',
    ...(relay.listenIp ? [`listening-ip=${relay.listenIp}`, `relay-ip=${relay.listenIp}`] : []),
    ...(relay.externalIp ? [`external-ip=${relay.externalIp}`] : []),
    `min-port=${relay.relayPorts.min}`,
    `max-port=${relay.relayPorts.max}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${realm}`,
    'fingerprint',
    'no-cli',
    'no-multicast-peers',
    'no-software-attribute',
    'no-rfc5780',
    'no-stun-backward-compatibility',
    `pidfile=${dir}/turnserver.pid`,
    `userdb=${dir}/turndb`,
    'log-file=stdout',
    'simple-log',
  ];
  for (const line of lines) {
    if (/[\r\n]/.test(line)) throw new Error('A relay setting may not hold a line break');
  }
  return lines.join('\n') + '\n';
}
