import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Role } from '../../contracts/roles';
import type { DbOrTx } from './database';
import { groups, memberships, profiles, users } from './schema';

export type GroupRow = {
  id: number;
  name: string;
  createdAt: Date;
  members: { id: number; username: string; displayName: string; extension: string; role: Role }[];
  bargeProfiles: string[];
};

async function withMembers(db: DbOrTx, rows: (typeof groups.$inferSelect)[]): Promise<GroupRow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const names = rows.map((r) => r.name);
  const [members, barge] = await Promise.all([
    db
      .select({
        groupId: memberships.groupId,
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        extension: users.extension,
        role: users.role,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(inArray(memberships.groupId, ids))
      .orderBy(asc(users.username)),
    db
      .select({ name: profiles.name, group: profiles.bargeGroup })
      .from(profiles)
      .where(inArray(profiles.bargeGroup, names))
      .orderBy(asc(profiles.name)),
  ]);
  return rows.map((row) => ({
    ...row,
    members: members
      .filter((m) => m.groupId === row.id)
      .map(({ groupId: _, role, ...member }) => ({ ...member, role: role as Role })),
    bargeProfiles: barge.filter((b) => b.group === row.name).map((b) => b.name),
  }));
}

export async function listGroups(db: DbOrTx): Promise<GroupRow[]> {
  return withMembers(db, await db.select().from(groups).orderBy(asc(groups.name)));
}

export async function findGroup(db: DbOrTx, id: number): Promise<GroupRow | undefined> {
  return (await withMembers(db, await db.select().from(groups).where(eq(groups.id, id))))[0];
}

export async function findGroupByName(db: DbOrTx, name: string): Promise<GroupRow | undefined> {
  return (await withMembers(db, await db.select().from(groups).where(eq(groups.name, name))))[0];
}

export async function insertGroup(db: DbOrTx, name: string): Promise<number> {
  const [row] = await db.insert(groups).values({ name }).returning({ id: groups.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

/** Renames a group; profiles that monitor it follow the new name. */
export async function renameGroup(db: DbOrTx, id: number, from: string, to: string): Promise<void> {
  await db.update(groups).set({ name: to }).where(eq(groups.id, id));
  await db
    .update(profiles)
    .set({ bargeGroup: to, updatedAt: new Date() })
    .where(eq(profiles.bargeGroup, from));
}

/** Deletes a group; profiles that monitored it are left without a barge group. */
export async function deleteGroup(db: DbOrTx, id: number, name: string): Promise<void> {
  await db
    .update(profiles)
    .set({ bargeGroup: null, updatedAt: new Date() })
    .where(eq(profiles.bargeGroup, name));
  await db.delete(groups).where(eq(groups.id, id));
}

export async function addMember(db: DbOrTx, groupId: number, userId: number): Promise<boolean> {
  const rows = await db
    .insert(memberships)
    .values({ groupId, userId })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function removeMember(db: DbOrTx, groupId: number, userId: number): Promise<boolean> {
  const rows = await db
    .delete(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

/** Whether the user belongs to the group of that name. */
export async function isMemberOf(db: DbOrTx, groupName: string, userId: number): Promise<boolean> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId))
    .where(and(eq(groups.name, groupName), eq(memberships.userId, userId)))
    .limit(1);
  return rows.length > 0;
}
