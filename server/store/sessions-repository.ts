import { and, eq, gt, lt } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { sessions } from './schema';

export async function insertSession(
  db: DbOrTx,
  session: { tokenHash: string; userId: number; expiresAt: Date; userAgent: string | null },
): Promise<void> {
  await db.insert(sessions).values(session);
}

export async function extendSession(db: DbOrTx, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(db: DbOrTx, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

/** Whether the user is signed in to the web app anywhere now (a session not yet expired). */
export async function hasLiveSession(db: DbOrTx, userId: number, now = new Date()): Promise<boolean> {
  const rows = await db
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .limit(1);
  return rows.length > 0;
}

/** The session with this token hash, if it has not expired. */
export async function findLiveSession(
  db: DbOrTx,
  tokenHash: string,
  now = new Date(),
): Promise<{ userId: number; expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  return row;
}
