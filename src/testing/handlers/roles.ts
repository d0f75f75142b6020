import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { requireRole, type Actor } from '../../../contracts/policy/console-access';
import type { Decision } from '../../../contracts/policy/decision';
import type { Role } from '../../../contracts/roles';
import type { Me } from '../../../contracts/users';
import { fakeSession } from '../fake-session';
import { apiError } from './api-errors';

/** The server's 401 (server/http/http-error.ts), word for word. */
export const unauthenticated = () =>
  apiError(401, {
    code: 'unauthenticated',
    message: 'You are not signed in, or your session has ended. Sign in again.',
  });

/**
 * The signed-in person, or the server's refusal: 401 when nobody is, 403 with the policy's own
 * sentence when `check` (a rule from contracts/policy, as the server's route calls it) refuses.
 */
export function signedInFor(
  check: (actor: Actor) => Decision,
): { me: Me; refused: null } | { me: null; refused: Response } {
  const me = fakeSession.current();
  if (!me) return { me: null, refused: unauthenticated() };
  const decision = check(actorOfMe(me));
  if (!decision.allowed)
    return { me: null, refused: apiError(403, { code: 'forbidden', message: decision.reason }) };
  return { me, refused: null };
}

/** The signed-in person, or the server's refusal when nobody is or their role is below `minimum`. */
export const signedInAtLeast = (minimum: Role) => signedInFor((actor) => requireRole(actor, minimum));

/** Only the refusal, for routes that do not need to know who asked. */
export const requireRoleOf = (minimum: Role): Response | null => signedInAtLeast(minimum).refused;
