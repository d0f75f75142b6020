import { roleAtLeast, type Role } from '../../../contracts/roles';
import type { Me } from '../../../contracts/users';
import { fakeSession } from '../fake-session';
import { apiError } from './api-errors';

const article = (role: Role) => (role === 'supervisor' ? 'a' : 'an');

/**
 * The signed-in person, or the server's refusal when nobody is or their role is below
 * `minimum` (401 and 403 in the words of contracts/policy/console-access.ts).
 */
export function signedInAtLeast(minimum: Role): { me: Me; refused: null } | { me: null; refused: Response } {
  const me = fakeSession.current();
  if (!me)
    return {
      me: null,
      refused: apiError(401, {
        code: 'unauthenticated',
        message: 'You are not signed in, or your session has ended. Sign in again.',
      }),
    };
  if (!roleAtLeast(me.user.role, minimum))
    return {
      me: null,
      refused: apiError(403, {
        code: 'forbidden',
        message: `This needs the ${minimum} role or higher; you are signed in as ${article(me.user.role)} ${me.user.role}.`,
      }),
    };
  return { me, refused: null };
}

/** Only the refusal, for routes that do not need to know who asked. */
export const requireRoleOf = (minimum: Role): Response | null => signedInAtLeast(minimum).refused;
