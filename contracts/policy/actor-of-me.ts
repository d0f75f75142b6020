import type { Me } from '../users';
import type { Actor } from './console-access';

/**
 * The signed-in person as policy sees them, from what the browser knows (`/api/me`): the same
 * shape the server builds from its session, so the browser's gating asks the server's own rules.
 */
export function actorOfMe(me: Me): Actor {
  return {
    id: me.user.id,
    role: me.user.role,
    profileId: me.user.profileId,
    bargeGroup: me.profile?.bargeGroup ?? null,
  };
}
