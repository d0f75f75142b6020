import { eq } from 'drizzle-orm';
import type { Flag } from '../../contracts/profiles';
import type { Role } from '../../contracts/roles';
import type { DbOrTx } from './database';
import { profiles, users } from './schema';

/** What the SIP edge needs of a user: digest HA1s and the profile's telephony settings. */
export type SipAccount = {
  userId: number;
  username: string;
  displayName: string;
  extension: string;
  role: Role;
  ha1Md5: string;
  ha1Sha256: string;
  realm: string;
  /** The generation the user's short-lived SIP credentials must carry to be accepted. */
  sipCredentialGeneration: number;
  profile: SipProfile | null;
};

export type SipProfile = {
  id: number;
  name: string;
  capacity: number;
  channelLimit: number;
  flags: Flag[];
  /** The group whose calls the profile's users may monitor. */
  bargeGroup: string | null;
  monitorNotice: boolean;
};

/** One user by SIP username or by extension, with their profile, in one query. */
export async function findSipAccount(
  db: DbOrTx,
  by: { username: string } | { extension: string },
): Promise<SipAccount | undefined> {
  const [row] = await db
    .select({
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      extension: users.extension,
      role: users.role,
      ha1Md5: users.ha1Md5,
      ha1Sha256: users.ha1Sha256,
      realm: users.sipRealm,
      sipCredentialGeneration: users.sipCredentialGeneration,
      profileId: profiles.id,
      profileName: profiles.name,
      capacity: profiles.capacity,
      channelLimit: profiles.channelLimit,
      flags: profiles.flags,
      bargeGroup: profiles.bargeGroup,
      monitorNotice: profiles.monitorNotice,
    })
    .from(users)
    .leftJoin(profiles, eq(profiles.id, users.profileId))
    .where('username' in by ? eq(users.username, by.username) : eq(users.extension, by.extension))
    .limit(1);
  if (!row) return undefined;
  const {
    profileId,
    profileName,
    capacity,
    channelLimit,
    flags,
    bargeGroup,
    monitorNotice,
    role,
    ...account
  } = row;
  return {
    ...account,
    role: role as Role,
    profile:
      profileId === null || profileName === null || capacity === null || channelLimit === null
        ? null
        : {
            id: profileId,
            name: profileName,
            capacity,
            channelLimit,
            flags: (flags ?? []) as Flag[],
            bargeGroup,
            monitorNotice: monitorNotice ?? false,
          },
  };
}
