import { z } from 'zod';

/**
 * The TURN relay the phones are handed (none by default: on a LAN the phones reach each other).
 * `spawn`: this server starts and supervises coturn on this machine; `external`: an existing
 * coturn (or any TURN server with the TURN REST shared-secret scheme) at the URLs given.
 */
export type RelayConfig =
  | {
      kind: 'spawn';
      /** The shared secret; null: derived from the server's SIP credential secret. */
      secret: string | null;
      /** Host name or address the phones reach the relay at; null: the one they reached the web app at. */
      host: string | null;
      /** UDP and TCP listening port. */
      port: number;
      /** TLS listening port (the phones get a `turns:` URL), with the certificate and key; else null. */
      tls: { port: number; cert: string; key: string } | null;
      /** Address coturn listens and relays on; null: every address of the machine. */
      listenIp: string | null;
      /** The public address when the machine is behind a 1:1 NAT (coturn's external-ip). */
      externalIp: string | null;
      relayPorts: { min: number; max: number };
    }
  | { kind: 'external'; urls: string[]; secret: string };

export type IceTransportPolicy = 'all' | 'relay';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int({ error: `${name} must be a whole number` })
    .min(1, { error: `${name} must be between 1 and 65535` })
    .max(65535, { error: `${name} must be between 1 and 65535` })
    .default(fallback);

const TURN_URL = /^turns?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\?transport=(udp|tcp))?$/;

/** The environment variables of the relay, spread into the server's one configuration schema. */
export const relayEnvShape = {
  TURN: z.enum(['spawn', 'off'], { error: 'TURN must be spawn (or off)' }).default('off'),
  TURN_URLS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== ''),
    )
    .refine((urls) => urls.length > 0 && urls.every((url) => TURN_URL.test(url)), {
      error:
        'TURN_URLS must be a comma-separated list of turn: or turns: URLs such as turn:relay.example.com:3478?transport=udp',
    })
    .optional(),
  TURN_SECRET: z.string().min(16, { error: 'TURN_SECRET must be at least 16 characters' }).optional(),
  TURN_HOST: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, {
      error: 'TURN_HOST must be a host name or address such as relay.example.com',
    })
    .optional(),
  TURN_PORT: port('TURN_PORT', 3478),
  TURN_TLS_PORT: port('TURN_TLS_PORT', 443),
  TURN_TLS_CERT: z.string().min(1).optional(),
  TURN_TLS_KEY: z.string().min(1).optional(),
  TURN_LISTEN_IP: z.union([z.ipv4(), z.ipv6()], { error: 'TURN_LISTEN_IP must be an IP address' }).optional(),
  TURN_EXTERNAL_IP: z
    .union([z.ipv4(), z.ipv6()], { error: 'TURN_EXTERNAL_IP must be an IP address' })
    .optional(),
  TURN_RELAY_PORTS: z
    .string()
    .regex(/^[0-9]{1,5}-[0-9]{1,5}$/, { error: 'TURN_RELAY_PORTS must be a range such as 49152-65535' })
    .transform((value) => {
      const [min = 0, max = 0] = value.split('-').map(Number);
      return { min, max };
    })
    .refine(({ min, max }) => min >= 1024 && max <= 65535 && min < max, {
      error: 'TURN_RELAY_PORTS must be a range of ports between 1024 and 65535, lowest first',
    })
    .default({ min: 49152, max: 65535 }),
  ICE_TRANSPORT_POLICY: z
    .enum(['all', 'relay'], { error: 'ICE_TRANSPORT_POLICY must be all or relay' })
    .default('all'),
};

type RelayEnv = z.output<z.ZodObject<typeof relayEnvShape>>;

/** The relay settings, or the sentences saying which combination is wrong. */
export function relayConfigFrom(
  env: RelayEnv,
):
  | { ok: true; relay: RelayConfig | null; iceTransportPolicy: IceTransportPolicy }
  | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (env.TURN === 'spawn' && env.TURN_URLS)
    problems.push(
      'Set either TURN=spawn (a relay on this machine) or TURN_URLS (an existing one), not both.',
    );
  if (env.TURN_URLS && !env.TURN_SECRET)
    problems.push('TURN_URLS needs TURN_SECRET, the relay’s shared secret (coturn’s static-auth-secret).');
  if ((env.TURN_TLS_CERT === undefined) !== (env.TURN_TLS_KEY === undefined))
    problems.push('TURN_TLS_CERT and TURN_TLS_KEY go together: give both for TLS, or neither.');
  const relay: RelayConfig | null =
    env.TURN === 'spawn'
      ? {
          kind: 'spawn',
          secret: env.TURN_SECRET ?? null,
          host: env.TURN_HOST ?? null,
          port: env.TURN_PORT,
          tls:
            env.TURN_TLS_CERT && env.TURN_TLS_KEY
              ? { port: env.TURN_TLS_PORT, cert: env.TURN_TLS_CERT, key: env.TURN_TLS_KEY }
              : null,
          listenIp: env.TURN_LISTEN_IP ?? null,
          externalIp: env.TURN_EXTERNAL_IP ?? null,
          relayPorts: env.TURN_RELAY_PORTS,
        }
      : env.TURN_URLS && env.TURN_SECRET
        ? { kind: 'external', urls: env.TURN_URLS, secret: env.TURN_SECRET }
        : null;
  if (env.ICE_TRANSPORT_POLICY === 'relay' && !relay && problems.length === 0)
    problems.push('ICE_TRANSPORT_POLICY=relay needs a relay: set TURN=spawn or TURN_URLS and TURN_SECRET.');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, relay, iceTransportPolicy: env.ICE_TRANSPORT_POLICY };
}
