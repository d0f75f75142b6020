import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WebSocket } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KAMAILIO_CFG = path.join(root, 'deploy/kamailio/kamailio.cfg');
const KAMAILIO_TABLES = path.join(root, 'deploy/kamailio/kamailio-tables.sql');

/** The Debian packages kamailio.cfg's modules come from, by module. */
const MODULE_PACKAGES: Record<string, string> = {
  'websocket.so': 'kamailio-websocket-modules',
  'db_postgres.so': 'kamailio-postgres-modules',
  'auth_ephemeral.so': 'kamailio-autheph-modules',
  'http_client.so': 'kamailio-utils-modules',
  'jansson.so': 'kamailio-extra-modules',
  'dialog.so': 'kamailio',
};
export const KAMAILIO_PACKAGES = ['kamailio', ...new Set(Object.values(MODULE_PACKAGES))].filter(
  (name, index, all) => all.indexOf(name) === index,
);

/** The kamailio binary, or one sentence saying what to install. */
export function findClusterKamailio(): { binary: string } | { missing: string } {
  const binary = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio'].find((file) => existsSync(file));
  const install = `apt-get install --no-install-recommends ${KAMAILIO_PACKAGES.join(' ')}`;
  if (!binary) return { missing: `Kamailio is not installed: ${install}` };
  const help = execFileSync(binary, ['-h'], { encoding: 'utf8' });
  const modules = /Modules search path \(default: ([^)]+)\)/.exec(help)?.[1] ?? '';
  const absent = Object.keys(MODULE_PACKAGES).filter((module) => !existsSync(path.join(modules, module)));
  if (absent.length > 0) return { missing: `Kamailio lacks ${absent.join(', ')}: ${install}` };
  return { binary };
}

/**
 * Readies the shared database for Kamailio once the servers have migrated it: the version rows
 * its modules check, and the secret of the web sessions' SIP credentials (created here when no
 * server has made it yet, as the servers would), which auth_ephemeral must share.
 */
export async function prepareKamailioDatabase(databaseUrl: string): Promise<{ ephemeralSecret: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(readFileSync(KAMAILIO_TABLES, 'utf8'));
    await client.query(
      `insert into settings (key, value, updated_at) values ('sip_credential_secret', $1, $2) on conflict do nothing`,
      [randomBytes(32).toString('base64url'), Date.now()],
    );
    const { rows } = await client.query<{ value: string }>(
      `select value from settings where key = 'sip_credential_secret'`,
    );
    const ephemeralSecret = rows[0]?.value;
    if (!ephemeralSecret) throw new Error('The SIP credential secret could not be read from the database.');
    return { ephemeralSecret };
  } finally {
    await client.end();
  }
}

export type KamailioInstanceOptions = {
  binary: string;
  /** Its own address: instances tell each other apart by address (registrar's path_check_local). */
  listenIp: string;
  wsPort: number;
  peerPort: number;
  databaseUrl: string;
  realm: string;
  switchboardUrl: string;
  sharedSecret: string;
  ephemeralSecret: string;
  /** More -A defines, e.g. WITHOUT_REGISTER_POLICY for the bench (kamailio.cfg lists them). */
  defines?: string[];
};

export type KamailioInstance = {
  url: string;
  pid(): number | null;
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** A crash: SIGKILL. */
  kill(): Promise<void>;
};

const defineString = (name: string, value: string) => `${name}="${value.replace(/["\\]/g, '')}"`;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Whether Kamailio completes a SIP WebSocket handshake at `url`. Its TCP port accepts before its
 * workers answer, and a phone connecting in between sees the socket closed ("socket hang up").
 */
async function answersWebSocket(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'sip', { handshakeTimeout: 1_000 });
    socket.once('open', () => {
      socket.close();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One Kamailio in the foreground (its own process group), ready when it answers a WebSocket handshake. */
export async function startKamailio(options: KamailioInstanceOptions): Promise<KamailioInstance> {
  const runtime = mkdtempSync(path.join(tmpdir(), 'switchboard-kamailio-'));
  const args = [
    '-DD',
    '-E',
    '-f',
    KAMAILIO_CFG,
    '-Y',
    runtime,
    '-A',
    `LISTEN_IP=${options.listenIp}`,
    '-A',
    `WS_PORT=${options.wsPort}`,
    '-A',
    `PEER_PORT=${options.peerPort}`,
    '-A',
    defineString('DB_URL', options.databaseUrl),
    '-A',
    defineString('REALM', options.realm),
    '-A',
    defineString('SWITCHBOARD_URL', options.switchboardUrl),
    '-A',
    defineString('SHARED_SECRET', options.sharedSecret),
    '-A',
    defineString('EPHEMERAL_SECRET', options.ephemeralSecret),
    ...(options.defines ?? []).flatMap((define) => ['-A', define]),
  ];
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-256 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const signal = (name: NodeJS.Signals) => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  const stop = async () => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
    rmSync(runtime, { recursive: true, force: true });
  };
  const url = `ws://${options.listenIp}:${options.wsPort}`;
  const deadline = Date.now() + 15_000;
  while (!(await answersWebSocket(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Kamailio did not start on port ${options.wsPort}:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: () => (child.exitCode === null ? (child.pid ?? null) : null),
    output: () => output,
    stop,
    async kill() {
      signal('SIGKILL');
      await exited(child);
    },
  };
}
