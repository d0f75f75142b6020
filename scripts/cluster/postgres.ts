import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HOW_TO_GET_POSTGRES =
  'PostgreSQL is not installed: install it (apt-get install postgresql) or give DATABASE_URL=postgres://… of a server you have.';

export type ClusterPostgres = {
  /** The database the servers and Kamailio share. */
  url: string;
  /** The throwaway server's postmaster process id (null for a given DATABASE_URL or once stopped). */
  pid(): number | null;
  /** Stops the throwaway server and deletes its files (nothing for a given DATABASE_URL). */
  stop(): void;
};

/** The newest installed PostgreSQL's bin folder (Debian keeps initdb and pg_ctl off the PATH). */
export function findPostgres(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest ? path.join(root, newest, 'bin') : null;
}

/**
 * The given DATABASE_URL, or a throwaway cluster on loopback (as .ci/start-postgres.sh starts
 * for the tests): initdb in a temporary folder, trust authentication, one database `switchboard`.
 * As root the server runs as the `postgres` user, which initdb requires.
 */
export function startPostgres(port: number, given = process.env.DATABASE_URL): ClusterPostgres {
  if (given) return { url: given, pid: () => null, stop: () => undefined };
  const bin = findPostgres();
  if (!bin) throw new Error(HOW_TO_GET_POSTGRES);
  const data = mkdtempSync(path.join(tmpdir(), 'switchboard-cluster-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(data, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(quote).join(' ')], {
          cwd: '/',
          encoding: 'utf8',
        })
      : spawnSync(command, args, { cwd: '/', encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`.trim());
  };
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-k ${data} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off`;
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(data, 'server.log'),
    '-o',
    options,
    '-w',
    'start',
  ]);
  run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'switchboard']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/switchboard`,
    pid() {
      const file = path.join(data, 'postmaster.pid');
      return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) || null : null;
    },
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    },
  };
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
