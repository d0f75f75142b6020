import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; repositories take either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
};

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type DatabaseOptions =
  /** PGlite in a folder; `memory://` keeps it in memory (tests). */
  | { kind: 'pglite'; dataDir: string }
  /** An already created PGlite (`createPglite`, e.g. restored from a dump); migrations still run. */
  | { kind: 'pglite'; client: PGlite }
  | { kind: 'postgres'; url: string; max?: number };

/**
 * A PGlite with the extensions the migrations use (pg_trgm: the user search's trigram
 * indexes). Every PGlite the store opens is made here, a restored dump included.
 */
export function createPglite(options: { dataDir: string } | { loadDataDir: Blob }): Promise<PGlite> {
  const extensions: PGliteOptions['extensions'] = { pg_trgm };
  return 'dataDir' in options
    ? PGlite.create(options.dataDir, { extensions })
    : PGlite.create({ loadDataDir: options.loadDataDir, extensions });
}

/** Opens the database and runs the migrations: the same SQL for PGlite and Postgres. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
    // An idle client that loses its server must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    try {
      await migratePg(db, { migrationsFolder });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  let client: PGlite;
  if ('client' in options) client = options.client;
  else {
    if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
    client = await createPglite({ dataDir: options.dataDir });
  }
  const db = drizzlePglite(client, { schema });
  try {
    await migratePglite(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}
