import { asc, eq } from 'drizzle-orm';
import type { NumberFormat, TrunkTransport } from '../../contracts/trunks';
import type { DbOrTx } from './database';
import { trunks } from './schema';

/** A trunk's authentication as stored: a registering trunk's password only sealed (SecretBox). */
export type StoredTrunkAuth =
  { kind: 'register'; username: string; passwordSealed: string } | { kind: 'ip'; addresses: string[] };

/** The settings of a trunk, as written. */
export type TrunkValues = {
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  auth: StoredTrunkAuth;
  callerId: string;
  numberFormat: NumberFormat;
  prefixes: string[];
  priority: number;
  enabled: boolean;
};

export type TrunkRecord = TrunkValues & { id: number; createdAt: Date; updatedAt: Date };

type Row = typeof trunks.$inferSelect;

function authOf(row: Row): StoredTrunkAuth {
  // A register row written without a password cannot happen through the API; an empty seal then
  // fails to open, and the edge says so, rather than registering with no password.
  return row.authKind === 'register'
    ? { kind: 'register', username: row.username ?? '', passwordSealed: row.passwordSealed ?? '' }
    : { kind: 'ip', addresses: row.addresses };
}

function recordOf(row: Row): TrunkRecord {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    transport: row.transport as TrunkTransport,
    auth: authOf(row),
    callerId: row.callerId,
    numberFormat: row.numberFormat as NumberFormat,
    prefixes: row.prefixes,
    priority: row.priority,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns for `values`: switching a trunk to `ip` clears its username and password. */
function columnsOf(values: Partial<TrunkValues>): Partial<typeof trunks.$inferInsert> {
  const { auth, ...rest } = values;
  if (!auth) return rest;
  return auth.kind === 'register'
    ? {
        ...rest,
        authKind: 'register',
        username: auth.username,
        passwordSealed: auth.passwordSealed,
        addresses: [],
      }
    : { ...rest, authKind: 'ip', username: null, passwordSealed: null, addresses: auth.addresses };
}

/** Every trunk, in the order the edge tries them when prefixes tie: priority, then name. */
export async function listTrunks(db: DbOrTx): Promise<TrunkRecord[]> {
  const rows = await db.select().from(trunks).orderBy(asc(trunks.priority), asc(trunks.name));
  return rows.map(recordOf);
}

export async function findTrunk(db: DbOrTx, id: number): Promise<TrunkRecord | undefined> {
  const [row] = await db.select().from(trunks).where(eq(trunks.id, id));
  return row && recordOf(row);
}

export async function findTrunkByName(db: DbOrTx, name: string): Promise<TrunkRecord | undefined> {
  const [row] = await db.select().from(trunks).where(eq(trunks.name, name));
  return row && recordOf(row);
}

export async function insertTrunk(db: DbOrTx, values: TrunkValues): Promise<number> {
  const [row] = await db
    .insert(trunks)
    .values(columnsOf(values) as typeof trunks.$inferInsert)
    .returning({ id: trunks.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateTrunk(db: DbOrTx, id: number, change: Partial<TrunkValues>): Promise<void> {
  await db
    .update(trunks)
    .set({ ...columnsOf(change), updatedAt: new Date() })
    .where(eq(trunks.id, id));
}

/** Deletes a trunk; call records keep its name (they hold it as text). */
export async function deleteTrunk(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db.delete(trunks).where(eq(trunks.id, id)).returning({ id: trunks.id });
  return rows.length > 0;
}
