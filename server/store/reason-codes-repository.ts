import { asc, eq } from 'drizzle-orm';
import type { ReasonCodeCreate } from '../../contracts/agent-states';
import type { DbOrTx } from './database';
import { reasonCodes } from './schema';

export type ReasonCodeRow = typeof reasonCodes.$inferSelect;

export async function listReasonCodes(db: DbOrTx): Promise<ReasonCodeRow[]> {
  return db.select().from(reasonCodes).orderBy(asc(reasonCodes.code));
}

export async function findReasonCode(db: DbOrTx, id: number): Promise<ReasonCodeRow | undefined> {
  const [row] = await db.select().from(reasonCodes).where(eq(reasonCodes.id, id));
  return row;
}

export async function findReasonCodeByCode(db: DbOrTx, code: string): Promise<ReasonCodeRow | undefined> {
  const [row] = await db.select().from(reasonCodes).where(eq(reasonCodes.code, code));
  return row;
}

export async function insertReasonCode(db: DbOrTx, input: ReasonCodeCreate): Promise<number> {
  const [row] = await db.insert(reasonCodes).values(input).returning({ id: reasonCodes.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateReasonCode(
  db: DbOrTx,
  id: number,
  change: Partial<ReasonCodeCreate>,
): Promise<void> {
  await db.update(reasonCodes).set(change).where(eq(reasonCodes.id, id));
}

export async function deleteReasonCode(db: DbOrTx, id: number): Promise<void> {
  await db.delete(reasonCodes).where(eq(reasonCodes.id, id));
}
