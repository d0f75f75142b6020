import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { callCharges, callRecords, creditAccount, profileCredit, profiles } from './schema';

/** The one account: its currency and the credit not allocated to any profile (minor units). */
export type AccountRow = { currency: string; balanceMinor: number };

export async function readAccount(db: DbOrTx): Promise<AccountRow> {
  const [row] = await db
    .select({ currency: creditAccount.currency, balanceMinor: creditAccount.balanceMinor })
    .from(creditAccount)
    .where(eq(creditAccount.id, 1));
  // The migration inserts the row; a database restored without it starts empty in EUR.
  if (row) return { currency: row.currency, balanceMinor: Number(row.balanceMinor) };
  await db.insert(creditAccount).values({ id: 1 }).onConflictDoNothing();
  return { currency: 'EUR', balanceMinor: 0 };
}

/**
 * Reads the account and locks its row until the transaction ends. Every transaction that moves
 * money between the account and a profile takes this lock first, so two of them never wait on
 * each other's rows in opposite orders (a deadlock); charges touch only the profile's row.
 */
export async function lockAccount(db: DbOrTx): Promise<AccountRow> {
  await readAccount(db);
  const [row] = await db
    .select({ currency: creditAccount.currency, balanceMinor: creditAccount.balanceMinor })
    .from(creditAccount)
    .where(eq(creditAccount.id, 1))
    .for('update');
  return { currency: row?.currency ?? 'EUR', balanceMinor: Number(row?.balanceMinor ?? 0) };
}

export async function setAccountCurrency(db: DbOrTx, currency: string): Promise<void> {
  await readAccount(db);
  await db.update(creditAccount).set({ currency, updatedAt: new Date() }).where(eq(creditAccount.id, 1));
}

/**
 * Adds `delta` (negative: takes it out) to the account's balance in one statement, unless the
 * balance would go below zero. Returns the new balance, or null when it would.
 */
export async function changeAccountBalance(db: DbOrTx, delta: number): Promise<number | null> {
  await readAccount(db);
  const [row] = await db
    .update(creditAccount)
    .set({ balanceMinor: sql`${creditAccount.balanceMinor} + ${delta}`, updatedAt: new Date() })
    .where(sql`${creditAccount.id} = 1 and ${creditAccount.balanceMinor} + ${delta} >= 0`)
    .returning({ balanceMinor: creditAccount.balanceMinor });
  return row ? Number(row.balanceMinor) : null;
}

/** Every profile with its credit (0 when none was ever allocated), by name. */
export async function listProfileCredit(
  db: DbOrTx,
): Promise<{ profileId: number; name: string; creditMinor: number }[]> {
  const rows = await db
    .select({ profileId: profiles.id, name: profiles.name, creditMinor: profileCredit.creditMinor })
    .from(profiles)
    .leftJoin(profileCredit, eq(profileCredit.profileId, profiles.id))
    .orderBy(asc(profiles.name));
  return rows.map((row) => ({ ...row, creditMinor: Number(row.creditMinor ?? 0) }));
}

export async function profileCreditOf(db: DbOrTx, profileId: number): Promise<number> {
  const [row] = await db
    .select({ creditMinor: profileCredit.creditMinor })
    .from(profileCredit)
    .where(eq(profileCredit.profileId, profileId));
  return Number(row?.creditMinor ?? 0);
}

/**
 * Adds `delta` to a profile's credit (negative: takes it away) in one statement, unless it
 * would go below zero. Returns the new credit, or null when it would.
 */
export async function changeProfileCredit(
  db: DbOrTx,
  profileId: number,
  delta: number,
): Promise<number | null> {
  if (delta >= 0) {
    const [row] = await db
      .insert(profileCredit)
      .values({ profileId, creditMinor: delta })
      .onConflictDoUpdate({
        target: profileCredit.profileId,
        set: { creditMinor: sql`${profileCredit.creditMinor} + ${delta}`, updatedAt: new Date() },
      })
      .returning({ creditMinor: profileCredit.creditMinor });
    return row ? Number(row.creditMinor) : null;
  }
  const [row] = await db
    .update(profileCredit)
    .set({ creditMinor: sql`${profileCredit.creditMinor} + ${delta}`, updatedAt: new Date() })
    .where(sql`${profileCredit.profileId} = ${profileId} and ${profileCredit.creditMinor} + ${delta} >= 0`)
    .returning({ creditMinor: profileCredit.creditMinor });
  return row ? Number(row.creditMinor) : null;
}

/**
 * A deleted profile's credit goes back to the account's balance (in the caller's transaction).
 * Returns the amount returned.
 */
export async function returnProfileCredit(db: DbOrTx, profileId: number): Promise<number> {
  const [row] = await db
    .delete(profileCredit)
    .where(eq(profileCredit.profileId, profileId))
    .returning({ creditMinor: profileCredit.creditMinor });
  const amount = Number(row?.creditMinor ?? 0);
  if (amount > 0) await changeAccountBalance(db, amount);
  return amount;
}

/** Credit held anywhere (the account and every profile), and charged for calls, in minor units. */
export async function creditTotals(db: DbOrTx): Promise<{ allocated: number; charged: number }> {
  const [allocated] = await db
    .select({ sum: sql<string | null>`sum(${profileCredit.creditMinor})` })
    .from(profileCredit);
  const [charged] = await db
    .select({ sum: sql<string | null>`sum(${callCharges.amountMinor})` })
    .from(callCharges);
  return { allocated: Number(allocated?.sum ?? 0), charged: Number(charged?.sum ?? 0) };
}

/** What a priced call cost, on its record (the ledger's call_charges row holds it too). */
export async function setCallCharge(
  db: DbOrTx,
  recordId: number,
  charge: { amountMinor: number; currency: string },
): Promise<void> {
  await db
    .update(callRecords)
    .set({ chargeMinor: charge.amountMinor, chargeCurrency: charge.currency })
    .where(eq(callRecords.id, recordId));
}
