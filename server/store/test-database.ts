import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPglite, openDatabase, type Database } from './database';

/**
 * A fresh, migrated database for one test: PGlite in memory, or a new database created on the
 * Postgres server at TEST_DATABASE_URL and dropped on close, so CI proves both.
 * PGlite's first start costs seconds, so a migrated copy is made once per process and cloned.
 */
export type TestBackend = 'pglite' | 'postgres';

/** PGlite always; Postgres as well when TEST_DATABASE_URL names a server. */
export function testBackends(): TestBackend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function freshTestDatabase(backend: TestBackend = 'pglite'): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (backend === 'pglite') return freshPglite();
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: the Postgres tests need a server to create databases on.');
  return freshPostgres(url);
}

let template: Promise<Blob> | undefined;

async function freshPglite(): Promise<Database> {
  template ??= (async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    const client = (first.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir('none');
    await first.close();
    return dump;
  })();
  const client = await createPglite({ loadDataDir: await template });
  return openDatabase({ kind: 'pglite', client });
}

async function freshPostgres(url: string): Promise<Database> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: target.toString(), max: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
