import { roleAtLeast } from '../../../contracts/roles';
import type { Me } from '../../../contracts/users';

/** The server's own sentence (contracts/policy/console-access.ts), shown before anyone tries. */
export const OWN_PROFILE_REASON = 'A supervisor may not change the profile they are on; ask an admin.';

/** Why this person may not change this profile, or null when they may. */
export function profileLockReason(me: Me, profileId: number): string | null {
  if (!roleAtLeast(me.user.role, 'supervisor')) return 'Changing profiles needs the supervisor role.';
  if (me.user.role === 'supervisor' && me.user.profileId === profileId) return OWN_PROFILE_REASON;
  return null;
}

export const canDeleteProfiles = (me: Me) => me.user.role === 'admin';
