import { accessSync, constants } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** The media address rtpengine uses: `local` on this machine, `advertised` written in SDP when behind NAT. */
export type MediaInterface = { local: string; advertised: string | null };

/**
 * The media bridge between browser phones and trunks. `spawn`: this server runs rtpengine as a
 * child; `external`: an existing rtpengine over ng at host:port; `off`: trunk calls are refused
 * with `problem`.
 */
export type RtpengineConfig = {
  mode:
    | { kind: 'spawn'; command: string }
    | { kind: 'external'; host: string; port: number }
    | { kind: 'off'; problem: string };
  /** RTPENGINE_INTERFACE; null: HOST when it names one address, else the default route's (decided at start). */
  interface: MediaInterface | null;
  /** The UDP ports media uses (a spawned rtpengine's range). */
  ports: { min: number; max: number };
};

/** What the bridge says when there is no rtpengine and none was asked for. */
export const NO_RTPENGINE =
  "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port";

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

/** The environment variables of the media bridge, spread into the server's one configuration schema. */
export const rtpengineEnvShape = {
  RTPENGINE: z
    .string()
    .refine((value) => value === 'spawn' || value === 'off' || hostPort(value) !== null, {
      error: 'RTPENGINE must be spawn, off, or the host:port of an existing rtpengine’s ng listener',
    })
    .optional(),
  RTPENGINE_INTERFACE: z
    .string()
    .refine((value) => mediaInterface(value) !== null, {
      error:
        'RTPENGINE_INTERFACE must be an IP address of this machine, or local!public such as 10.0.0.5!203.0.113.7',
    })
    .transform((value) => mediaInterface(value))
    .optional(),
  RTPENGINE_PORTS: z
    .string()
    .regex(/^[0-9]{1,5}-[0-9]{1,5}$/, { error: 'RTPENGINE_PORTS must be a range such as 30000-39999' })
    .transform((value) => {
      const [min = 0, max = 0] = value.split('-').map(Number);
      return { min, max };
    })
    .refine(({ min, max }) => min >= 1024 && max <= 65535 && max - min >= 3, {
      error: 'RTPENGINE_PORTS must be a range of at least 4 ports between 1024 and 65535, lowest first',
    })
    .default({ min: 30_000, max: 39_999 }),
  /** Only read: whether `rtpengine` is installed decides the default of RTPENGINE. */
  PATH: z.string().optional(),
};

type RtpengineEnv = z.output<z.ZodObject<typeof rtpengineEnvShape>>;

function hostPort(value: string): { host: string; port: number } | null {
  const match = HOST_PORT.exec(value);
  const port = Number(match?.[2]);
  if (!match?.[1] || port < 1 || port > 65535) return null;
  const host = match[1].replace(/^\[(.*)\]$/, '$1');
  if (match[1].startsWith('[') && isIP(host) !== 6) return null;
  return { host, port };
}

function mediaInterface(value: string): MediaInterface | null {
  const [local = '', advertised, ...rest] = value.split('!');
  if (rest.length > 0 || isIP(local) === 0) return null;
  if (advertised !== undefined && isIP(advertised) === 0) return null;
  return { local, advertised: advertised ?? null };
}

/** The first executable `name` in the PATH list `searchPath`, or null. */
export function findOnPath(name: string, searchPath: string | undefined): string | null {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The media bridge settings, or the sentence saying what is wrong. */
export function rtpengineConfigFrom(
  env: RtpengineEnv,
): { ok: true; rtpengine: RtpengineConfig } | { ok: false; problem: string } {
  const installed = findOnPath('rtpengine', env.PATH);
  let mode: RtpengineConfig['mode'];
  if (env.RTPENGINE === 'off') {
    mode = {
      kind: 'off',
      problem: 'Trunk calls are off here (RTPENGINE=off): set RTPENGINE=spawn or host:port',
    };
  } else if (env.RTPENGINE === 'spawn' || env.RTPENGINE === undefined) {
    if (installed) mode = { kind: 'spawn', command: installed };
    else if (env.RTPENGINE === undefined) mode = { kind: 'off', problem: NO_RTPENGINE };
    else
      return {
        ok: false,
        problem:
          "RTPENGINE=spawn needs the rtpengine program on PATH: install Debian's rtpengine-daemon, or set RTPENGINE=host:port (or off).",
      };
  } else {
    const target = hostPort(env.RTPENGINE);
    if (!target) return { ok: false, problem: 'RTPENGINE must be spawn, off, or host:port.' };
    mode = { kind: 'external', ...target };
  }
  return {
    ok: true,
    rtpengine: { mode, interface: env.RTPENGINE_INTERFACE ?? null, ports: env.RTPENGINE_PORTS },
  };
}
