import { asc, eq, isNotNull, or, type SQL } from 'drizzle-orm';
import type { NumberAssignment } from '../../contracts/numbers';
import type { DbOrTx } from './database';
import { groups, phoneNumbers, profiles, queues, users } from './schema';

/** A number with whom it rings, by id and by the names the console shows. */
export type NumberRecord = {
  id: number;
  number: string;
  label: string;
  /** The profile it is allocated to; null: in the account's pool. */
  profile: { id: number; name: string } | null;
  assignment:
    | { kind: 'user'; userId: number; username: string; displayName: string }
    | { kind: 'group'; groupId: number; name: string }
    | { kind: 'queue'; queueId: number; name: string }
    | null;
  createdAt: Date;
  updatedAt: Date;
};

/** Where a number rings, by id only: what the SIP edge needs. */
export type NumberTarget =
  { kind: 'user'; userId: number } | { kind: 'group'; groupId: number } | { kind: 'queue'; queueId: number };

function selectNumbers(db: DbOrTx) {
  return db
    .select({
      id: phoneNumbers.id,
      number: phoneNumbers.number,
      label: phoneNumbers.label,
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      groupId: groups.id,
      groupName: groups.name,
      queueId: queues.id,
      queueName: queues.name,
      profileId: profiles.id,
      profileName: profiles.name,
      createdAt: phoneNumbers.createdAt,
      updatedAt: phoneNumbers.updatedAt,
    })
    .from(phoneNumbers)
    .leftJoin(users, eq(users.id, phoneNumbers.userId))
    .leftJoin(groups, eq(groups.id, phoneNumbers.groupId))
    .leftJoin(queues, eq(queues.id, phoneNumbers.queueId))
    .leftJoin(profiles, eq(profiles.id, phoneNumbers.profileId));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectNumbers>['execute']>>[number];

function recordOf(row: Joined): NumberRecord {
  const assignment: NumberRecord['assignment'] =
    row.userId !== null
      ? { kind: 'user', userId: row.userId, username: row.username ?? '', displayName: row.displayName ?? '' }
      : row.groupId !== null
        ? { kind: 'group', groupId: row.groupId, name: row.groupName ?? '' }
        : row.queueId !== null
          ? { kind: 'queue', queueId: row.queueId, name: row.queueName ?? '' }
          : null;
  return {
    id: row.id,
    number: row.number,
    label: row.label,
    profile: row.profileId !== null ? { id: row.profileId, name: row.profileName ?? '' } : null,
    assignment,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns for an assignment: a user, a group or a queue, never two (the table's CHECK holds it too). */
function assignmentColumns(assignment: NumberAssignment): {
  userId: number | null;
  groupId: number | null;
  queueId: number | null;
} {
  return {
    userId: assignment?.kind === 'user' ? assignment.userId : null,
    groupId: assignment?.kind === 'group' ? assignment.groupId : null,
    queueId: assignment?.kind === 'queue' ? assignment.queueId : null,
  };
}

export async function listNumbers(db: DbOrTx): Promise<NumberRecord[]> {
  return (await selectNumbers(db).orderBy(asc(phoneNumbers.number))).map(recordOf);
}

export async function findNumber(db: DbOrTx, id: number): Promise<NumberRecord | undefined> {
  const [row] = await selectNumbers(db).where(eq(phoneNumbers.id, id));
  return row && recordOf(row);
}

export async function findNumberByNumber(db: DbOrTx, number: string): Promise<NumberRecord | undefined> {
  const [row] = await selectNumbers(db).where(eq(phoneNumbers.number, number));
  return row && recordOf(row);
}

export async function insertNumber(
  db: DbOrTx,
  values: { number: string; label: string; assignment: NumberAssignment; profileId?: number | null },
): Promise<number> {
  const [row] = await db
    .insert(phoneNumbers)
    .values({
      number: values.number,
      label: values.label,
      profileId: values.profileId ?? null,
      ...assignmentColumns(values.assignment),
    })
    .returning({ id: phoneNumbers.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateNumber(
  db: DbOrTx,
  id: number,
  change: { label?: string; assignment?: NumberAssignment; profileId?: number | null },
): Promise<void> {
  await db
    .update(phoneNumbers)
    .set({
      ...(change.label !== undefined ? { label: change.label } : {}),
      ...(change.profileId !== undefined ? { profileId: change.profileId } : {}),
      ...(change.assignment !== undefined ? assignmentColumns(change.assignment) : {}),
      updatedAt: new Date(),
    })
    .where(eq(phoneNumbers.id, id));
}

export async function deleteNumber(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .delete(phoneNumbers)
    .where(eq(phoneNumbers.id, id))
    .returning({ id: phoneNumbers.id });
  return rows.length > 0;
}

/** Every assigned number and where it rings (numbers assigned to nobody are left out). */
export async function loadNumberTargets(db: DbOrTx): Promise<Map<string, NumberTarget>> {
  const assigned: SQL | undefined = or(
    isNotNull(phoneNumbers.userId),
    isNotNull(phoneNumbers.groupId),
    isNotNull(phoneNumbers.queueId),
  );
  const rows = await db
    .select({
      number: phoneNumbers.number,
      userId: phoneNumbers.userId,
      groupId: phoneNumbers.groupId,
      queueId: phoneNumbers.queueId,
    })
    .from(phoneNumbers)
    .where(assigned);
  const targets = new Map<string, NumberTarget>();
  for (const row of rows) {
    if (row.userId !== null) targets.set(row.number, { kind: 'user', userId: row.userId });
    else if (row.groupId !== null) targets.set(row.number, { kind: 'group', groupId: row.groupId });
    else if (row.queueId !== null) targets.set(row.number, { kind: 'queue', queueId: row.queueId });
  }
  return targets;
}

/** The numbers allocated to a profile, in order. */
export async function profileNumbers(db: DbOrTx, profileId: number): Promise<string[]> {
  const rows = await db
    .select({ number: phoneNumbers.number })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.profileId, profileId))
    .orderBy(asc(phoneNumbers.number));
  return rows.map((row) => row.number);
}

/**
 * A deleted profile's numbers go back to the account's pool, ringing nobody until they are
 * allocated again (in the caller's transaction). Returns them, in order.
 */
export async function returnProfileNumbers(db: DbOrTx, profileId: number): Promise<string[]> {
  const rows = await db
    .update(phoneNumbers)
    .set({ profileId: null, userId: null, groupId: null, queueId: null, updatedAt: new Date() })
    .where(eq(phoneNumbers.profileId, profileId))
    .returning({ number: phoneNumbers.number });
  return rows.map((row) => row.number).sort();
}
