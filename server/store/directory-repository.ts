import { eq } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { groups, memberships, profiles, users } from './schema';

export type UserRecord = typeof users.$inferSelect;
export type ProfileRecord = typeof profiles.$inferSelect;
export type MembershipRecord = { userId: number; group: string };

export type UserKey = { id: number } | { username: string } | { extension: string };

/** Every user, or the one with this key (the directory's initial load, reloads and misses). */
export function loadUserRecords(db: DbOrTx, key?: UserKey): Promise<UserRecord[]> {
  const query = db.select().from(users);
  if (key === undefined) return query;
  if ('id' in key) return query.where(eq(users.id, key.id));
  if ('username' in key) return query.where(eq(users.username, key.username));
  return query.where(eq(users.extension, key.extension));
}

export function loadProfileRecords(db: DbOrTx): Promise<ProfileRecord[]> {
  return db.select().from(profiles);
}

/** Every membership by group name, or one user's. */
export function loadMembershipRecords(db: DbOrTx, userId?: number): Promise<MembershipRecord[]> {
  const query = db
    .select({ userId: memberships.userId, group: groups.name })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId));
  return userId === undefined ? query : query.where(eq(memberships.userId, userId));
}
