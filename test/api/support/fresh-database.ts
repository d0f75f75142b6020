import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { createPglite, openDatabase, type Db } from '../../../server/store/database';
import * as schema from '../../../server/store/schema';

export type FreshDatabase = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where other processes reach it (Postgres only), e.g. servers started with DATABASE_URL. */
  url?: string;
  close(): Promise<void>;
};

const migrationsFolder = fileURLToPath(new URL('../../../server/store/migrations', import.meta.url));

/**
 * A fresh, migrated database: a new Postgres database on TEST_DATABASE_URL when it is set,
 * else PGlite in memory.
 */
export function openFreshDatabase(): Promise<FreshDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  return url ? freshPostgres(url) : freshPglite();
}

async function freshPostgres(serverUrl: string): Promise<FreshDatabase> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), max: 4 });
    return {
      db: database.db,
      kind: 'postgres',
      url: url.toString(),
      close: async () => {
        await database.close();
        await withAdminClient(serverUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        );
      },
    };
  } catch (error) {
    await withAdminClient(serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
    throw error;
  }
}

async function withAdminClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Initialising PGlite costs seconds; loading a dump of an already migrated one costs far less.
 * The dump is cached in the temp folder, keyed by the migrations and the PGlite version, so
 * every test file after the first starts from it.
 */
async function freshPglite(): Promise<FreshDatabase> {
  const client = await createPglite({ loadDataDir: await migratedTemplate() });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

let template: Promise<Blob> | undefined;

function migratedTemplate(): Promise<Blob> {
  template ??= loadOrBuildTemplate();
  return template;
}

async function loadOrBuildTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `switchboard-api-test-pglite-${await templateKey()}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not cached yet: build it below.
  }
  const client = await createPglite({ dataDir: 'memory://' });
  try {
    await migrate(drizzle(client, { schema }), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  } finally {
    await client.close();
  }
}

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await pgliteVersion());
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else hash.update(entry.name).update(await readFile(full));
    }
  };
  await walk(migrationsFolder);
  return hash.digest('hex').slice(0, 16);
}

/** PGlite's package.json is not exported; find it above the resolved entry point. */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (let depth = 0; depth < 4; depth++, dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@electric-sql/pglite') return String(manifest.version);
    } catch {
      // Keep climbing.
    }
  }
  return 'unknown';
}
