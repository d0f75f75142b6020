import { asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type {
  QueueCreate,
  QueueMember,
  QueueOverflow,
  QueueStrategy,
  QueueUpdate,
} from '../../contracts/queues';
import type { DbOrTx } from './database';
import { groups, memberships, queueMembers, queues, users } from './schema';

export type QueueMemberRow =
  | { kind: 'user'; userId: number; username: string; priority: number }
  | { kind: 'group'; groupId: number; name: string; priority: number };

export type QueueRow = Omit<typeof queues.$inferSelect, 'strategy' | 'overflow'> & {
  strategy: QueueStrategy;
  overflow: QueueOverflow;
  members: QueueMemberRow[];
};

async function withMembers(db: DbOrTx, rows: (typeof queues.$inferSelect)[]): Promise<QueueRow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const members = await db
    .select({
      queueId: queueMembers.queueId,
      userId: queueMembers.userId,
      groupId: queueMembers.groupId,
      priority: queueMembers.priority,
      username: users.username,
      groupName: groups.name,
    })
    .from(queueMembers)
    .leftJoin(users, eq(users.id, queueMembers.userId))
    .leftJoin(groups, eq(groups.id, queueMembers.groupId))
    .where(inArray(queueMembers.queueId, ids))
    .orderBy(asc(queueMembers.priority), asc(queueMembers.id));
  return rows.map((row) => ({
    ...row,
    strategy: row.strategy as QueueStrategy,
    overflow: row.overflow as QueueOverflow,
    members: members
      .filter((m) => m.queueId === row.id)
      .map((m): QueueMemberRow =>
        m.userId !== null
          ? { kind: 'user', userId: m.userId, username: m.username ?? '', priority: m.priority }
          : { kind: 'group', groupId: m.groupId ?? 0, name: m.groupName ?? '', priority: m.priority },
      ),
  }));
}

export async function listQueues(db: DbOrTx): Promise<QueueRow[]> {
  return withMembers(db, await db.select().from(queues).orderBy(asc(queues.name)));
}

export async function findQueue(db: DbOrTx, id: number): Promise<QueueRow | undefined> {
  return (await withMembers(db, await db.select().from(queues).where(eq(queues.id, id))))[0];
}

export async function findQueueByName(db: DbOrTx, name: string): Promise<QueueRow | undefined> {
  return (await withMembers(db, await db.select().from(queues).where(eq(queues.name, name))))[0];
}

export async function findQueueByExtension(db: DbOrTx, extension: string): Promise<QueueRow | undefined> {
  return (await withMembers(db, await db.select().from(queues).where(eq(queues.extension, extension))))[0];
}

async function replaceMembers(db: DbOrTx, queueId: number, members: QueueMember[]): Promise<void> {
  await db.delete(queueMembers).where(eq(queueMembers.queueId, queueId));
  if (members.length === 0) return;
  await db.insert(queueMembers).values(
    members.map((m) => ({
      queueId,
      userId: m.kind === 'user' ? m.userId : null,
      groupId: m.kind === 'group' ? m.groupId : null,
      priority: m.priority,
    })),
  );
}

export async function insertQueue(db: DbOrTx, input: QueueCreate): Promise<number> {
  const { members, ...fields } = input;
  const [row] = await db.insert(queues).values(fields).returning({ id: queues.id });
  if (!row) throw new Error('insert returned no row');
  await replaceMembers(db, row.id, members);
  return row.id;
}

/** Changes the given fields; `members`, when given, replaces the whole list. */
export async function updateQueue(db: DbOrTx, id: number, change: QueueUpdate): Promise<void> {
  const { members, ...fields } = change;
  await db
    .update(queues)
    .set({ ...fields, updatedAt: new Date() })
    .where(eq(queues.id, id));
  if (members) await replaceMembers(db, id, members);
}

export async function deleteQueue(db: DbOrTx, id: number): Promise<void> {
  await db.delete(queues).where(eq(queues.id, id));
}

/** Queues whose calls overflow to this one (it cannot be deleted while they do). */
export async function queuesOverflowingTo(db: DbOrTx, id: number): Promise<string[]> {
  const rows = await db
    .select({ name: queues.name })
    .from(queues)
    .where(sql`${queues.overflow}->>'kind' = 'queue' and (${queues.overflow}->>'queueId')::int = ${id}`)
    .orderBy(asc(queues.name));
  return rows.map((r) => r.name);
}

/** Which of these ids are users, and which groups (to name the ones that are not). */
export async function existingMembers(
  db: DbOrTx,
  userIds: number[],
  groupIds: number[],
): Promise<{ users: Set<number>; groups: Set<number> }> {
  const [u, g] = await Promise.all([
    userIds.length
      ? db.select({ id: users.id }).from(users).where(inArray(users.id, userIds))
      : Promise.resolve([]),
    groupIds.length
      ? db.select({ id: groups.id }).from(groups).where(inArray(groups.id, groupIds))
      : Promise.resolve([]),
  ]);
  return { users: new Set(u.map((r) => r.id)), groups: new Set(g.map((r) => r.id)) };
}

/**
 * The users each queue reaches (its user members and the members of its groups), each with the
 * best (lowest) priority any of their entries gives them.
 */
export async function queueAgentPriorities(
  db: DbOrTx,
): Promise<Map<number, { userId: number; priority: number }[]>> {
  const [direct, viaGroups] = await Promise.all([
    db
      .select({ queueId: queueMembers.queueId, userId: queueMembers.userId, priority: queueMembers.priority })
      .from(queueMembers)
      .where(isNotNull(queueMembers.userId)),
    db
      .select({ queueId: queueMembers.queueId, userId: memberships.userId, priority: queueMembers.priority })
      .from(queueMembers)
      .innerJoin(memberships, eq(memberships.groupId, queueMembers.groupId)),
  ]);
  const best = new Map<number, Map<number, number>>();
  for (const { queueId, userId, priority } of [...direct, ...viaGroups]) {
    if (userId === null) continue;
    let users = best.get(queueId);
    if (!users) best.set(queueId, (users = new Map()));
    users.set(userId, Math.min(priority, users.get(userId) ?? priority));
  }
  return new Map(
    [...best].map(([queueId, users]) => [
      queueId,
      [...users]
        .map(([userId, priority]) => ({ userId, priority }))
        .sort((a, b) => a.priority - b.priority || a.userId - b.userId),
    ]),
  );
}

/** The users each queue reaches, for the wallboard's per-queue agent counts. */
export async function queueAgents(db: DbOrTx): Promise<Map<number, Set<number>>> {
  const agents = await queueAgentPriorities(db);
  return new Map([...agents].map(([queueId, list]) => [queueId, new Set(list.map((a) => a.userId))]));
}

/** Users who are in some queue, directly or through a group. */
export async function allQueueAgentIds(db: DbOrTx): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const set of (await queueAgents(db)).values()) for (const id of set) ids.add(id);
  return ids;
}
