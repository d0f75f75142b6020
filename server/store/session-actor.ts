import { and, eq, gt, sql } from 'drizzle-orm';
import type { Flag } from '../../contracts/profiles';
import type { CallListPrivacy } from '../../contracts/users';
import type { Role } from '../../contracts/roles';
import type { DbOrTx } from './database';
import { groups, memberships, profiles, sessions, users } from './schema';
import type { UserRow } from './users-repository';

export type SessionActor = {
  user: UserRow;
  profile: {
    id: number;
    name: string;
    flags: Flag[];
    bargeGroup: string | null;
    monitorNotice: boolean;
  } | null;
  expiresAt: Date;
};

/**
 * Everything a request needs about its session's user, in one query: this runs on every API
 * request, so it is a single round trip (measured in bench/api-latency.ts).
 */
export async function findSessionActor(
  db: DbOrTx,
  tokenHash: string,
  now = new Date(),
): Promise<SessionActor | undefined> {
  const [row] = await db
    .select({
      user: users,
      expiresAt: sessions.expiresAt,
      profile: {
        id: profiles.id,
        name: profiles.name,
        flags: profiles.flags,
        bargeGroup: profiles.bargeGroup,
        monitorNotice: profiles.monitorNotice,
      },
      groups: sql<string[]>`coalesce((select array_agg(${groups.name} order by ${groups.name})
        from ${memberships} join ${groups} on ${groups.id} = ${memberships.groupId}
        where ${memberships.userId} = ${users.id}), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(profiles, eq(profiles.id, users.profileId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  if (!row) return undefined;
  const profile = row.profile?.id ? { ...row.profile, flags: row.profile.flags as Flag[] } : null;
  return {
    user: {
      ...row.user,
      role: row.user.role as Role,
      callListPrivacy: row.user.callListPrivacy as CallListPrivacy,
      profileName: profile?.name ?? null,
      groups: row.groups,
    },
    profile,
    expiresAt: row.expiresAt,
  };
}
