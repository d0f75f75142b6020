import { eq, lt } from 'drizzle-orm';
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
