import type { Flag } from '../../contracts/profiles';
import type { Role } from '../../contracts/roles';
import type { ProfileRecord, UserRecord } from './directory-repository';

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

/** The SIP view of a user row and their profile row (the directory keeps both in memory). */
export function toSipAccount(user: UserRecord, profile: ProfileRecord | undefined): SipAccount {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    extension: user.extension,
    role: user.role as Role,
    ha1Md5: user.ha1Md5,
    ha1Sha256: user.ha1Sha256,
    realm: user.sipRealm,
    sipCredentialGeneration: user.sipCredentialGeneration,
    profile: profile
      ? {
          id: profile.id,
          name: profile.name,
          capacity: profile.capacity,
          channelLimit: profile.channelLimit,
          flags: profile.flags as Flag[],
          bargeGroup: profile.bargeGroup,
          monitorNotice: profile.monitorNotice,
        }
      : null,
  };
}
