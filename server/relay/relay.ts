import { createHmac } from 'node:crypto';
import type { IceServer, RelayStatus } from '../../contracts/sip';
import type { Config } from '../config';
import type { Logger } from '../log';
import { CoturnSupervisor } from './coturn-supervisor';
import type { RelayConfig } from './relay-config';
import { relayAnswers } from './stun-probe';
import { relayIceServers, relayUrls } from './turn-credentials';

/** The TURN relay as the API sees it: credentials for the phones, and its state. */
export interface Relay {
  /**
   * The ICE servers for `user`'s phone, with credentials that end at `expiresAt` (unix seconds);
   * `requestHost` is the Host the phone reached the web app at. Empty without a relay.
   */
  iceServers(user: string, expiresAt: number, requestHost: string): IceServer[];
  status(requestHost: string): Promise<RelayStatus>;
  close(): Promise<void>;
}

/** How long a probe of an existing relay is reused. */
const EXTERNAL_PROBE_CACHE_MS = 5_000;

function noRelay(config: Config): Relay {
  return {
    iceServers: () => [],
    status: () =>
      Promise.resolve({
        mode: 'none',
        state: 'off',
        urls: [],
        iceTransportPolicy: config.iceTransportPolicy,
        since: null,
        restarts: 0,
        problem: null,
      }),
    close: () => Promise.resolve(),
  };
}

/** An existing relay: credentials from its shared secret; its state from a probe of its first URL. */
function externalRelay(config: Config, relay: Extract<RelayConfig, { kind: 'external' }>): Relay {
  let last: { at: number; answered: boolean; since: Date } | null = null;
  return {
    iceServers: (user, expiresAt, host) => relayIceServers(relay, relay.secret, user, expiresAt, host),
    async status() {
      const now = Date.now();
      if (!last || now - last.at > EXTERNAL_PROBE_CACHE_MS) {
        const answered = (await Promise.all(relay.urls.map((url) => relayAnswers(url)))).some(Boolean);
        last = { at: now, answered, since: last && last.answered === answered ? last.since : new Date() };
      }
      return {
        mode: 'external',
        state: last.answered ? 'running' : 'unreachable',
        urls: relay.urls,
        iceTransportPolicy: config.iceTransportPolicy,
        since: last.since.toISOString(),
        restarts: 0,
        problem: last.answered ? null : 'The relay does not answer at any of its URLs.',
      };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The relay the configuration asks for, without starting anything: none, or an existing one.
 * (`TURN=spawn` needs `startRelay`, which runs coturn.)
 */
export function configuredRelay(config: Config): Relay {
  return config.relay?.kind === 'external' ? externalRelay(config, config.relay) : noRelay(config);
}

/** The shared secret of a relay this server runs, when none is configured: kept with the SIP one. */
export function derivedRelaySecret(sipCredentialSecret: string): string {
  return createHmac('sha256', sipCredentialSecret).update('switchboard turn relay').digest('base64url');
}

/**
 * Starts what the configuration asks for: with `TURN=spawn`, coturn on this machine, supervised
 * (rejects when coturn is not installed); otherwise as `configuredRelay`.
 */
export async function startRelay(options: {
  config: Config;
  log: Logger;
  /** The secret to derive the relay's from when TURN_SECRET is not set. */
  sipCredentialSecret: () => Promise<string>;
  command?: string;
}): Promise<Relay> {
  const { config, log } = options;
  const relay = config.relay;
  if (relay?.kind !== 'spawn') return configuredRelay(config);
  const secret = relay.secret ?? derivedRelaySecret(await options.sipCredentialSecret());
  const supervisor = new CoturnSupervisor({
    relay,
    secret,
    realm: config.sipDomain,
    log,
    ...(options.command ? { command: options.command } : {}),
  });
  await supervisor.start();
  return {
    iceServers: (user, expiresAt, host) => relayIceServers(relay, secret, user, expiresAt, host),
    status(host) {
      const supervised = supervisor.status();
      return Promise.resolve({
        mode: 'spawn',
        state: supervised.state,
        urls: relayUrls(relay, host),
        iceTransportPolicy: config.iceTransportPolicy,
        since: supervised.since.toISOString(),
        restarts: supervised.restarts,
        problem: supervised.problem,
      });
    },
    close: () => supervisor.close(),
  };
}
