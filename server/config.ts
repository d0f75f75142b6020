import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { relayConfigFrom, relayEnvShape } from './relay/relay-config';
import type { IceTransportPolicy, RelayConfig } from './relay/relay-config';
import { rtpengineConfigFrom, rtpengineEnvShape } from './media/rtpengine/rtpengine-config';
import type { RtpengineConfig } from './media/rtpengine/rtpengine-config';

/**
 * SIP_WEBSOCKET_WORKERS when unset: one socket worker on a machine of two cores or more, where
 * the WebSockets' framing and system calls then run beside the SIP work instead of in its turn
 * (bench:sip: 0.67–0.84× of Kamailio's REGISTER/s with one against 0.63× without); none on one
 * core, where a second process would only take turns with the first. Two workers on two cores
 * measured slower than one.
 */
export function defaultSocketWorkers(cores: number): number {
  return cores >= 2 ? 1 : 0;
}

const booleanFlag = (name: string, fallback: boolean) =>
  z
    .enum(['0', '1', 'true', 'false', 'yes', 'no'], {
      error: `${name} must be 1 or 0 (or true/false)`,
    })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['1', 'true', 'yes'].includes(value)));

const seconds = (name: string, fallback: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .int({ error: `${name} must be a whole number of seconds` })
    .min(1, { error: `${name} must be at least 1 second` })
    .max(max, { error: `${name} must be at most ${max} seconds` })
    .default(fallback);

/** A SIP port of its own (UDP or TCP); 0 turns that transport off. */
const sipPort = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number (0 turns it off)` })
    .int({ error: `${name} must be a whole number` })
    .min(0, { error: `${name} must be between 0 and 65535` })
    .max(65535, { error: `${name} must be between 0 and 65535` })
    .default(5060);

/** One SIP edge for the phones: a ws:// or wss:// URL, or a path on this server such as /sip. */
const EDGE_URL = /^(wss?:\/\/[^\s,/]+(\/[^\s,]*)?|\/[^\s,]*)$/;

/** The entries of a comma-separated list, trimmed, without empty ones. */
const listEntries = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT must be a port number' })
    .int({ error: 'PORT must be a whole number' })
    .min(0, { error: 'PORT must be between 0 and 65535' })
    .max(65535, { error: 'PORT must be between 0 and 65535' })
    .default(8080),
  HOST: z.string().min(1, { error: 'HOST must not be empty' }).default('0.0.0.0'),
  DATA_DIR: z.string().min(1, { error: 'DATA_DIR must not be empty' }).default('./data'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' })
    .optional(),
  SEED_DEMO: booleanFlag('SEED_DEMO', true),
  SIP_DOMAIN: z
    .string()
    .regex(/^[a-zA-Z0-9.-]+$/, { error: 'SIP_DOMAIN must be a host name such as switchboard.local' })
    .default('switchboard.local'),
  SESSION_TTL_HOURS: z.coerce
    .number({ error: 'SESSION_TTL_HOURS must be a number of hours' })
    .min(0.01, { error: 'SESSION_TTL_HOURS must be positive' })
    .max(720, { error: 'SESSION_TTL_HOURS must be at most 720 hours' })
    .default(12),
  SIGNIN_MAX_FAILURES: z.coerce
    .number({ error: 'SIGNIN_MAX_FAILURES must be a number' })
    .int({ error: 'SIGNIN_MAX_FAILURES must be a whole number' })
    .min(1, { error: 'SIGNIN_MAX_FAILURES must be at least 1' })
    .default(5),
  SIGNIN_WINDOW_SECONDS: seconds('SIGNIN_WINDOW_SECONDS', 900, 86_400),
  COOKIE_SECURE: booleanFlag('COOKIE_SECURE', false),
  EVENTS_STREAMS_PER_ADDRESS: z.coerce
    .number({ error: 'EVENTS_STREAMS_PER_ADDRESS must be a number' })
    .int({ error: 'EVENTS_STREAMS_PER_ADDRESS must be a whole number' })
    .min(1, { error: 'EVENTS_STREAMS_PER_ADDRESS must be at least 1' })
    .default(256),
  LOG_LEVEL: z
    .enum(['silent', 'error', 'warn', 'info', 'debug'], {
      error: 'LOG_LEVEL must be one of silent, error, warn, info, debug',
    })
    .default('info'),
  WEB_DIST: z.string().min(1).default('./dist'),
  SIP_NO_ANSWER_SECONDS: seconds('SIP_NO_ANSWER_SECONDS', 60, 3600),
  SIP_GRACE_SECONDS: seconds('SIP_GRACE_SECONDS', 15, 3600),
  SIP_NONCE_SECONDS: seconds('SIP_NONCE_SECONDS', 300, 86_400),
  SIP_KEEPALIVE_SECONDS: seconds('SIP_KEEPALIVE_SECONDS', 30, 300),
  // Below 180: a proxy may cancel an INVITE after 3 minutes without a response (Timer C).
  SIP_RINGING_REPEAT_SECONDS: seconds('SIP_RINGING_REPEAT_SECONDS', 60, 170),
  SIP_CREDENTIAL_TTL_HOURS: z.coerce
    .number({ error: 'SIP_CREDENTIAL_TTL_HOURS must be a number of hours' })
    .min(0.01, { error: 'SIP_CREDENTIAL_TTL_HOURS must be positive' })
    .max(168, { error: 'SIP_CREDENTIAL_TTL_HOURS must be at most 168 hours' })
    .default(12),
  SIP_ICE_GATHERING_TIMEOUT_MS: z.coerce
    .number({ error: 'SIP_ICE_GATHERING_TIMEOUT_MS must be a number of milliseconds' })
    .int({ error: 'SIP_ICE_GATHERING_TIMEOUT_MS must be a whole number of milliseconds' })
    .min(0, { error: 'SIP_ICE_GATHERING_TIMEOUT_MS must not be negative' })
    .max(60_000, { error: 'SIP_ICE_GATHERING_TIMEOUT_MS must be at most 60000' })
    .default(500),
  SIP_WS_URLS: z
    .string()
    .optional()
    .refine((value) => value === undefined || listEntries(value).every((entry) => EDGE_URL.test(entry)), {
      error:
        'SIP_WS_URLS must be a comma-separated list of ws:// or wss:// URLs (or paths on this server such as /sip)',
    }),
  SIP_UDP_PORT: sipPort('SIP_UDP_PORT'),
  SIP_TCP_PORT: sipPort('SIP_TCP_PORT'),
  SIP_ADVERTISED_HOST: z
    .string()
    .regex(/^([A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/, {
      error: 'SIP_ADVERTISED_HOST must be a host name or an IP address such as 203.0.113.7',
    })
    .optional(),
  SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS: z.coerce
    .number({ error: 'SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS must be a number' })
    .int({ error: 'SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS must be a whole number' })
    .min(1, { error: 'SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS must be at least 1' })
    .default(32),
  SIP_WEBSOCKET_WORKERS: z.coerce
    .number({ error: 'SIP_WEBSOCKET_WORKERS must be a number of processes (0: none)' })
    .int({ error: 'SIP_WEBSOCKET_WORKERS must be a whole number' })
    .min(0, { error: 'SIP_WEBSOCKET_WORKERS must be between 0 and 16' })
    .max(16, { error: 'SIP_WEBSOCKET_WORKERS must be between 0 and 16' })
    .default(() => defaultSocketWorkers(availableParallelism())),
  DEFAULT_COUNTRY_CODE: z
    .string()
    .regex(/^\+?[1-9][0-9]{0,2}$/, {
      error: 'DEFAULT_COUNTRY_CODE must be a country calling code such as 49 or +1',
    })
    .default('1'),
  KAMAILIO_SHARED_SECRET: z
    .string()
    .min(16, { error: 'KAMAILIO_SHARED_SECRET must be at least 16 characters' })
    .optional(),
  KAMAILIO_SILENCE_S: seconds('KAMAILIO_SILENCE_S', 60, 3600),
  ...relayEnvShape,
  ...rtpengineEnvShape,
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  seedDemo: boolean;
  sipDomain: string;
  sessionTtlMs: number;
  signInMaxFailures: number;
  signInWindowMs: number;
  cookieSecure: boolean;
  /** Open `/api/events` streams allowed from one client address (all its sessions together). */
  eventStreamsPerAddress: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  webDist: string;
  /** SIP edge: an unanswered INVITE gets 408 after this long. */
  sipNoAnswerMs: number;
  /** SIP edge: how long a dropped connection's calls wait for the phone to come back. */
  sipGraceMs: number;
  /** SIP edge: how long a digest nonce may be used. */
  sipNonceSeconds: number;
  /** SIP edge: a WebSocket silent this long (unanswered pings) is dropped with its bindings. */
  sipKeepAliveMs: number;
  /**
   * A call held in a queue gets its 180 again this often (RFC 3261 §13.3.1.1: a provisional
   * response every minute keeps proxies' and carriers' 3-minute Timer C from cancelling it).
   */
  sipRingingRepeatMs: number;
  /** Lifetime of the short-lived SIP credentials issued to a web session. */
  sipCredentialTtlSeconds: number;
  /** Handed to the phone (sip.js iceGatheringTimeout). */
  sipIceGatheringTimeoutMs: number;
  /** SIP WebSockets one address may hold open before they authenticate; more get 429. */
  sipUnauthenticatedSocketsPerAddress: number;
  /**
   * Child processes that own the SIP WebSockets' sockets (framing, pings, system calls) while
   * this one does the SIP work; 0 (default): none, this process holds them.
   */
  sipWebSocketWorkers: number;
  /**
   * The SIP edges handed to the phones, in order (SIP_WS_URLS): they use the first that answers
   * and move to the next when one fails. Empty: the built-in edge at /sip.
   */
  sipWsUrls: string[];
  /** SIP over UDP and TCP: the ports (null: off; 0 in tests: any free port). */
  sipUdpPort: number | null;
  sipTcpPort: number | null;
  /** The address written in Via and Record-Route toward UDP/TCP peers (behind NAT); null: the local one. */
  sipAdvertisedHost: string | null;
  /** The TURN relay handed to the phones (TURN, TURN_URLS…); null: none, the phones go direct. */
  relay: RelayConfig | null;
  /** Handed to the phones: `relay` lets them use only the relay (locked-down sites). */
  iceTransportPolicy: IceTransportPolicy;
  /** Country calling code (digits, no +) for numbers dialled without one: 030 123 in +49 is +4930123. */
  defaultCountryCode: string;
  /** The media bridge to trunks (RTPENGINE, RTPENGINE_INTERFACE, RTPENGINE_PORTS). */
  rtpengine: RtpengineConfig;
  /** The secret Kamailio sends to /internal/kamailio/* (null: those endpoints refuse everyone). */
  kamailioSecret: string | null;
  /** A Kamailio instance not heard from (keepalive) for this long is gone: its calls are ended. */
  kamailioSilenceMs: number;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from an environment once. A wrong value throws a ConfigError whose
 * message is a sentence naming the variable, e.g. "PORT must be between 0 and 65535 (got 70000)."
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const sentences = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? 'environment');
      return `${issue.message} (got ${JSON.stringify(env[key])}).`;
    });
    throw new ConfigError(`Invalid configuration: ${sentences.join(' ')}`);
  }
  const e = parsed.data;
  const relay = relayConfigFrom(e);
  if (!relay.ok) throw new ConfigError(`Invalid configuration: ${relay.problems.join(' ')}`);
  const media = rtpengineConfigFrom(e);
  if (!media.ok) throw new ConfigError(`Invalid configuration: ${media.problem}`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    seedDemo: e.SEED_DEMO,
    sipDomain: e.SIP_DOMAIN,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    signInMaxFailures: e.SIGNIN_MAX_FAILURES,
    signInWindowMs: e.SIGNIN_WINDOW_SECONDS * 1000,
    cookieSecure: e.COOKIE_SECURE,
    eventStreamsPerAddress: e.EVENTS_STREAMS_PER_ADDRESS,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    sipNoAnswerMs: e.SIP_NO_ANSWER_SECONDS * 1000,
    sipGraceMs: e.SIP_GRACE_SECONDS * 1000,
    sipNonceSeconds: e.SIP_NONCE_SECONDS,
    sipKeepAliveMs: e.SIP_KEEPALIVE_SECONDS * 1000,
    sipRingingRepeatMs: e.SIP_RINGING_REPEAT_SECONDS * 1000,
    sipCredentialTtlSeconds: Math.round(e.SIP_CREDENTIAL_TTL_HOURS * 3600),
    sipIceGatheringTimeoutMs: e.SIP_ICE_GATHERING_TIMEOUT_MS,
    sipUnauthenticatedSocketsPerAddress: e.SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS,
    sipWebSocketWorkers: e.SIP_WEBSOCKET_WORKERS,
    sipWsUrls: e.SIP_WS_URLS === undefined ? [] : listEntries(e.SIP_WS_URLS),
    sipUdpPort: e.SIP_UDP_PORT === 0 ? null : e.SIP_UDP_PORT,
    sipTcpPort: e.SIP_TCP_PORT === 0 ? null : e.SIP_TCP_PORT,
    sipAdvertisedHost: e.SIP_ADVERTISED_HOST?.replace(/^\[(.*)\]$/, '$1') ?? null,
    relay: relay.relay,
    iceTransportPolicy: relay.iceTransportPolicy,
    rtpengine: media.rtpengine,
    defaultCountryCode: e.DEFAULT_COUNTRY_CODE.replace(/^\+/, ''),
    kamailioSecret: e.KAMAILIO_SHARED_SECRET ?? null,
    kamailioSilenceMs: e.KAMAILIO_SILENCE_S * 1000,
  };
}
