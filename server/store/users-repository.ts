import { and, asc, count, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { CallListPrivacy, UserListQuery } from '../../contracts/users';
import type { Role } from '../../contracts/roles';
import type { StoredSecrets } from '../auth/passwords';
import type { DbOrTx } from './database';
import { groups, memberships, profiles, users, userSearchText } from './schema';

export type UserRow = Omit<typeof users.$inferSelect, 'role' | 'callListPrivacy'> & {
  role: Role;
  callListPrivacy: CallListPrivacy;
  profileName: string | null;
  groups: string[];
};

export type NewUser = {
  username: string;
  displayName: string;
  email: string | null;
  extension: string;
  location: string | null;
  role: Role;
  profileId: number | null;
  callListPrivacy: CallListPrivacy;
};

export type UserChange = Partial<Omit<NewUser, 'username'>>;

async function attachGroups(
  db: DbOrTx,
  rows: (typeof users.$inferSelect & { profileName: string | null })[],
): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  const links = await db
    .select({ userId: memberships.userId, name: groups.name })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId))
    .where(
      inArray(
        memberships.userId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(groups.name));
  const byUser = new Map<number, string[]>();
  for (const link of links) byUser.set(link.userId, [...(byUser.get(link.userId) ?? []), link.name]);
  return rows.map((row) => ({
    ...row,
    role: row.role as Role,
    callListPrivacy: row.callListPrivacy as CallListPrivacy,
    groups: byUser.get(row.id) ?? [],
  }));
}

function selectUsers(db: DbOrTx) {
  return db
    .select({ user: users, profileName: profiles.name })
    .from(users)
    .leftJoin(profiles, eq(profiles.id, users.profileId));
}

const flatten = (rows: { user: typeof users.$inferSelect; profileName: string | null }[]) =>
  rows.map((r) => ({ ...r.user, profileName: r.profileName }));

export async function findUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  const rows = await selectUsers(db).where(eq(users.id, id));
  return (await attachGroups(db, flatten(rows)))[0];
}

export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  const rows = await selectUsers(db).where(eq(users.username, username));
  return (await attachGroups(db, flatten(rows)))[0];
}

export async function findUserByExtension(db: DbOrTx, extension: string): Promise<UserRow | undefined> {
  const rows = await selectUsers(db).where(eq(users.extension, extension));
  return (await attachGroups(db, flatten(rows)))[0];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A page of users and how many match, in one query: the page with its total (a typed search
 * answered by the trigram index on `userSearchText`), then each row's group names. Only a page
 * past the end asks again, for the total alone.
 */
export async function listUsers(
  db: DbOrTx,
  query: UserListQuery,
): Promise<{ items: UserRow[]; total: number }> {
  const filters: SQL[] = [];
  const q = query.q?.trim();
  if (q) filters.push(sql`${userSearchText(users)} like lower(${`%${escapeLike(q)}%`})`);
  if (query.role) filters.push(eq(users.role, query.role));
  if (query.profileId) filters.push(eq(users.profileId, query.profileId));
  if (query.group)
    filters.push(
      sql`exists (select 1 from ${memberships} join ${groups} on ${groups.id} = ${memberships.groupId}
        where ${memberships.userId} = ${users.id} and ${groups.name} = ${query.group})`,
    );
  const where = filters.length ? and(...filters) : undefined;
  // Filtered, the matching rows are few or read anyway: count them as they go by. Unfiltered,
  // counting the table is cheaper than walking every row in username order to count them.
  const total = where ? sql<string>`count(*) over ()` : sql<string>`(select count(*) from ${users})`;
  const page = db
    .select({
      ...getTableColumns(users),
      profileName: sql<string | null>`${profiles.name}`.as('profile_name'),
      total: total.as('total'),
    })
    .from(users)
    .leftJoin(profiles, eq(profiles.id, users.profileId))
    .where(where)
    .orderBy(asc(users.username))
    .limit(query.limit)
    .offset(query.offset)
    .as('page');
  // Beside the page, not inside it: the group names are read for the page's rows only.
  const memberOf = db
    .select({
      names: sql<string[]>`coalesce(array_agg(${groups.name} order by ${groups.name}), '{}')`.as('names'),
    })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId))
    .where(eq(memberships.userId, page.id))
    .as('member_of');
  const rows = await db.select().from(page).crossJoinLateral(memberOf).orderBy(asc(page.username));
  return {
    items: rows.map(({ page: { total: _, ...user }, member_of: { names } }) => ({
      ...user,
      role: user.role as Role,
      callListPrivacy: user.callListPrivacy as CallListPrivacy,
      groups: names,
    })),
    total:
      rows[0] !== undefined
        ? Number(rows[0].page.total)
        : query.offset > 0
          ? ((await db.select({ n: count() }).from(users).where(where))[0]?.n ?? 0)
          : 0,
  };
}

export async function insertUser(db: DbOrTx, input: NewUser, secrets: StoredSecrets): Promise<number> {
  const [row] = await db
    .insert(users)
    .values({ ...input, ...secrets })
    .returning({ id: users.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

export async function updateUser(db: DbOrTx, id: number, change: UserChange): Promise<void> {
  await db
    .update(users)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(users.id, id));
}

export async function setUserSecrets(db: DbOrTx, id: number, secrets: StoredSecrets): Promise<void> {
  await db
    .update(users)
    .set({ ...secrets, updatedAt: new Date() })
    .where(eq(users.id, id));
}

export async function deleteUser(db: DbOrTx, id: number): Promise<void> {
  await db.delete(users).where(eq(users.id, id));
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function privaciesOf(db: DbOrTx, ids: number[]): Promise<Map<number, CallListPrivacy>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, privacy: users.callListPrivacy })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.privacy as CallListPrivacy]));
}

/**
 * Ends every short-lived SIP credential issued to the user so far: they carry the generation,
 * and the edge accepts only the current one.
 */
export async function bumpSipCredentialGeneration(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(users)
    .set({ sipCredentialGeneration: sql`${users.sipCredentialGeneration} + 1` })
    .where(eq(users.id, id));
}
