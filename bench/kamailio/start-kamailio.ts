// Starts Kamailio (Debian's packages, installed by hand) as a WebSocket registrar for the SIP
// bench: bench/kamailio/kamailio.cfg with the port filled in, the users in a temporary SQLite
// database (or db_text files when SQLite is not at hand), in the foreground as a child process
// group of its own that is killed when the bench ends, fails or is interrupted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOW_TO_GET_KAMAILIO =
  'Kamailio is not installed, so only the Switchboard edge is measured; to compare, install Debian’s packages with `apt-get install --no-install-recommends kamailio kamailio-websocket-modules kamailio-sqlite-modules` and run again.';

export type KamailioUser = { username: string; ha1: string };

export type KamailioOptions = {
  domain: string;
  users: KamailioUser[];
  /** Worker processes: children (UDP, unused) and tcp_children. */
  children: number;
  /** WebSocket connections it must hold at once. */
  connections: number;
};

export type Kamailio = {
  url: string;
  pid: number;
  version: string;
  /** Where the users are: "SQLite (auth_db, HA1 column)" or the db_text fallback. */
  database: string;
  stop(): Promise<void>;
};

function onPath(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, name)).find((file) => existsSync(file)) ?? null;
}

/** The kamailio binary and its modules folder, or null when it or its WebSocket module is missing. */
export function findKamailio(): { binary: string; modules: string } | null {
  const binary = onPath('kamailio');
  if (!binary) return null;
  const help = execFileSync(binary, ['-h'], { encoding: 'utf8' });
  const modules = /Modules search path \(default: ([^)]+)\)/.exec(help)?.[1];
  if (!modules || !existsSync(join(modules, 'websocket.so'))) return null;
  return { binary, modules };
}

/** subscriber(username, domain, ha1) as Kamailio's own schema has it, in SQLite or db_text. */
function writeUsers(dir: string, modules: string, { domain, users }: KamailioOptions) {
  const sqlite3 = onPath('sqlite3');
  if (sqlite3 && existsSync(join(modules, 'db_sqlite.so'))) {
    const file = join(dir, 'kamailio.sqlite');
    const rows = users.map((u) => `('${u.username}','${domain}','${u.ha1}')`);
    const sql = [
      'CREATE TABLE version (id INTEGER PRIMARY KEY NOT NULL, table_name VARCHAR(32) NOT NULL UNIQUE, table_version INTEGER DEFAULT 0 NOT NULL);',
      "INSERT INTO version (table_name, table_version) VALUES ('version', 1), ('subscriber', 7);",
      "CREATE TABLE subscriber (id INTEGER PRIMARY KEY NOT NULL, username VARCHAR(64) DEFAULT '' NOT NULL, domain VARCHAR(64) DEFAULT '' NOT NULL, password VARCHAR(64) DEFAULT '' NOT NULL, ha1 VARCHAR(128) DEFAULT '' NOT NULL, ha1b VARCHAR(128) DEFAULT '' NOT NULL, CONSTRAINT subscriber_account_idx UNIQUE (username, domain));",
      'CREATE INDEX subscriber_username_idx ON subscriber (username);',
      'BEGIN;',
      ...rows.map((row) => `INSERT INTO subscriber (username, domain, ha1) VALUES ${row};`),
      'COMMIT;',
    ].join('\n');
    execFileSync(sqlite3, [file], { input: sql });
    return { module: 'db_sqlite', url: `sqlite://${file}`, description: 'SQLite (auth_db, HA1 column)' };
  }
  // db_text ships with the kamailio package itself: one text file per table.
  writeFileSync(
    join(dir, 'version'),
    'id(int,auto) table_name(string) table_version(int) \n0:version:1\n1:subscriber:7\n',
  );
  writeFileSync(
    join(dir, 'subscriber'),
    'id(int,auto) username(string) domain(string) ha1(string) \n' +
      users.map((u, i) => `${i + 1}:${u.username}:${domain}:${u.ha1}\n`).join(''),
  );
  return {
    module: 'db_text',
    url: `text://${dir}`,
    description:
      'db_text files (auth_db, HA1 column; SQLite needs kamailio-sqlite-modules and the sqlite3 CLI)',
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function listening(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Kamailio exited (${child.exitCode}):\n${stderr()}`);
    if (await accepting(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Kamailio did not listen on port ${port} within 15 s:\n${stderr()}`);
}

export async function startKamailio(options: KamailioOptions): Promise<Kamailio> {
  const found = findKamailio();
  if (!found) throw new Error(HOW_TO_GET_KAMAILIO);
  const dir = mkdtempSync(join(tmpdir(), 'bench-kamailio-'));
  const port = await freePort();
  const database = writeUsers(dir, found.modules, options);
  const template = readFileSync(fileURLToPath(new URL('kamailio.cfg', import.meta.url)), 'utf8');
  const values: Record<string, string> = {
    PORT: String(port),
    CHILDREN: String(options.children),
    MAX_CONNECTIONS: String(options.connections + 1000),
    DB_MODULE: database.module,
    DB_URL: database.url,
  };
  const config = join(dir, 'kamailio.cfg');
  writeFileSync(
    config,
    template.replace(/__([A-Z_]+)__/g, (_, name: string) => values[name] ?? ''),
  );
  // Shared memory: ≈ 84 KB per WebSocket connection plus room; only the pages used become resident.
  const shm = 128 + Math.ceil((options.connections * 100) / 1024);
  const child = spawn(
    found.binary,
    ['-f', config, '-DD', '-E', '-m', String(shm), '-M', '32', '-P', join(dir, 'kamailio.pid'), '-Y', dir],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const pid = child.pid ?? 0;
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const interrupted = () => {
    kill();
    process.exit(130);
  };
  process.once('exit', kill);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  /** SIGTERM: Kamailio stops its own processes; whatever is left after 3 s is killed. */
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    }
    kill();
    process.off('exit', kill);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  try {
    await listening(child, port, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  const version = execFileSync(found.binary, ['-v'], { encoding: 'utf8' }).split('\n')[0] ?? 'kamailio';
  return {
    url: `ws://127.0.0.1:${port}/`,
    pid,
    version: version.replace(/^version:\s*/, '').trim(),
    database: database.description,
    stop,
  };
}
