import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { canChangeProfile, canDeleteProfile } from '../../../contracts/policy/console-access';
import type { Me } from '../../../contracts/users';

/** Why this person may not change this profile (the server's own sentence), or null when they may. */
export function profileLockReason(me: Me, profileId: number): string | null {
  const decision = canChangeProfile(actorOfMe(me), profileId);
  return decision.allowed ? null : decision.reason;
}

/** Whether this person may delete profiles, by the rule the server applies. */
export const canDeleteProfiles = (me: Me) => canDeleteProfile(actorOfMe(me)).allowed;
