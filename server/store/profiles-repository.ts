import { asc, count, eq, sql } from 'drizzle-orm';
import type { Flag, ProfileCreate, ProfileUpdate } from '../../contracts/profiles';
import type { DbOrTx } from './database';
import { callRecords, profiles, users } from './schema';

export type ProfileRow = typeof profiles.$inferSelect & { flags: Flag[]; userCount: number };

const withUserCount = {
  id: profiles.id,
  name: profiles.name,
  capacity: profiles.capacity,
  channelLimit: profiles.channelLimit,
  flags: profiles.flags,
  bargeGroup: profiles.bargeGroup,
  monitorNotice: profiles.monitorNotice,
  recording: profiles.recording,
  recordingRetentionDays: profiles.recordingRetentionDays,
  recordingNotice: profiles.recordingNotice,
  createdAt: profiles.createdAt,
  updatedAt: profiles.updatedAt,
  // Qualified by hand: in a single-table select Drizzle renders columns unqualified, so
  // `${profiles.id}` would become "id" and resolve to users.id inside the subquery.
  userCount: sql<number>`(select count(*)::int from "users" where "users"."profile_id" = "profiles"."id")`,
};

export async function listProfiles(db: DbOrTx): Promise<ProfileRow[]> {
  const rows = await db.select(withUserCount).from(profiles).orderBy(asc(profiles.name));
  return rows as ProfileRow[];
}

export async function findProfile(db: DbOrTx, id: number): Promise<ProfileRow | undefined> {
  const [row] = await db.select(withUserCount).from(profiles).where(eq(profiles.id, id));
  return row as ProfileRow | undefined;
}

export async function findProfileByName(db: DbOrTx, name: string): Promise<ProfileRow | undefined> {
  const [row] = await db.select(withUserCount).from(profiles).where(eq(profiles.name, name));
  return row as ProfileRow | undefined;
}

/** The recording settings may be left out (the table's defaults: off, 90 days, no notice). */
type NewProfile = Omit<ProfileCreate, RecordingSetting> & Partial<Pick<ProfileCreate, RecordingSetting>>;
type RecordingSetting = 'recording' | 'recordingRetentionDays' | 'recordingNotice';

export async function insertProfile(db: DbOrTx, input: NewProfile): Promise<number> {
  const [row] = await db.insert(profiles).values(input).returning({ id: profiles.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateProfile(db: DbOrTx, id: number, change: ProfileUpdate): Promise<void> {
  await db
    .update(profiles)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(profiles.id, id));
}

/** Deletes a profile and its call history; its users stay, without a profile. */
export async function deleteProfile(db: DbOrTx, id: number): Promise<{ callRecords: number }> {
  const deleted = await db
    .delete(callRecords)
    .where(sql`${callRecords.callerProfileId} = ${id} or ${callRecords.calleeProfileId} = ${id}`)
    .returning({ id: callRecords.id });
  await db.update(users).set({ profileId: null, updatedAt: new Date() }).where(eq(users.profileId, id));
  await db.delete(profiles).where(eq(profiles.id, id));
  return { callRecords: deleted.length };
}

export async function countProfileCalls(db: DbOrTx, id: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(callRecords)
    .where(sql`${callRecords.callerProfileId} = ${id} or ${callRecords.calleeProfileId} = ${id}`);
  return row?.n ?? 0;
}

export async function profileMemberIds(db: DbOrTx, id: number): Promise<number[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.profileId, id));
  return rows.map((row) => row.id);
}
