import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { rates } from './schema';

export type RateRow = typeof rates.$inferSelect;

/** A rate's values as stored: the price in millionths of the currency. */
export type RateValues = {
  prefix: string;
  description: string;
  priceMicros: number;
  firstIncrement: number;
  nextIncrement: number;
};

const asNumbers = (row: RateRow): RateRow => ({ ...row, priceMicros: Number(row.priceMicros) });

export async function listRates(db: DbOrTx): Promise<RateRow[]> {
  return (await db.select().from(rates).orderBy(asc(rates.prefix))).map(asNumbers);
}

export async function findRate(db: DbOrTx, id: number): Promise<RateRow | undefined> {
  const [row] = await db.select().from(rates).where(eq(rates.id, id));
  return row && asNumbers(row);
}

export async function findRateByPrefix(db: DbOrTx, prefix: string): Promise<RateRow | undefined> {
  const [row] = await db.select().from(rates).where(eq(rates.prefix, prefix));
  return row && asNumbers(row);
}

/** Whether the table has any rate (an empty one charges nothing). */
export async function hasRates(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ id: rates.id }).from(rates).limit(1);
  return row !== undefined;
}

/**
 * The rate for a number by its longest prefix, found through the unique index: every prefix of
 * the number (`+`, `+4`, `+49`, …) is looked up at once.
 */
export async function rateForNumber(db: DbOrTx, e164: string): Promise<RateRow | undefined> {
  const prefixes = Array.from({ length: e164.length }, (_, i) => e164.slice(0, i + 1));
  const [row] = await db
    .select()
    .from(rates)
    .where(inArray(rates.prefix, prefixes))
    .orderBy(sql`length(${rates.prefix}) desc`)
    .limit(1);
  return row && asNumbers(row);
}

export async function insertRate(db: DbOrTx, values: RateValues): Promise<number> {
  const [row] = await db.insert(rates).values(values).returning({ id: rates.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateRate(db: DbOrTx, id: number, change: Partial<RateValues>): Promise<void> {
  await db
    .update(rates)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(rates.id, id));
}

export async function deleteRate(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db.delete(rates).where(eq(rates.id, id)).returning({ id: rates.id });
  return rows.length > 0;
}

/** Replaces the whole table (in the caller's transaction): CSV import. */
export async function replaceRates(db: DbOrTx, values: RateValues[]): Promise<number> {
  await db.delete(rates);
  for (let i = 0; i < values.length; i += 500) await db.insert(rates).values(values.slice(i, i + 500));
  return values.length;
}
