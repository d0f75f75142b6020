import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';

import { hashSessionToken, SESSION_COOKIE } from '../auth/session-token';
import type { Actor } from '../../contracts/policy/console-access';
import type { Decision } from '../../contracts/policy/decision';
import { extendSession } from '../store/sessions-repository';
import type { AppEnv, SignedIn } from './app-env';
import { setSessionCookie } from './session-cookie';
import { forbidden, unauthenticated } from './http-error';

/**
 * Reads the session cookie on every API request; an unknown or expired one is simply ignored.
 * Sessions and people come from memory (SessionCache, Directory): no query on the way in.
 * Here and in every request's path `c.get` reads a variable; `c.var` copies them all first.
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  c.set('signedIn', undefined);
  if (token && token.length <= 128) {
    const { db, config, sessions, directory } = c.get('deps');
    const tokenHash = hashSessionToken(token);
    const session = await sessions.find(tokenHash);
    const person = session && (await directory.person(session.userId));
    if (session && person) {
      c.set('signedIn', { ...person, tokenHash });
      // Sliding expiry: a session in use is extended once half its life has passed.
      if (session.expiresAt.getTime() - Date.now() < config.sessionTtlMs / 2) {
        const expiresAt = new Date(Date.now() + config.sessionTtlMs);
        await extendSession(db, tokenHash, expiresAt);
        sessions.extended(tokenHash, expiresAt);
        setSessionCookie(c, token, config);
      }
    }
  }
  await next();
});

export function requireSignedIn(c: Context<AppEnv>): SignedIn {
  const signedIn = c.get('signedIn');
  if (!signedIn) throw unauthenticated();
  return signedIn;
}

export function actorOf(signedIn: SignedIn): Actor {
  return {
    id: signedIn.user.id,
    role: signedIn.user.role,
    profileId: signedIn.user.profileId,
    bargeGroup: signedIn.profile?.bargeGroup ?? null,
  };
}

/** The signed-in actor, after a policy check that throws 401/403 with its reason. */
export function authorize(
  c: Context<AppEnv>,
  check: (actor: Actor) => Decision,
): Actor & { username: string } {
  const signedIn = requireSignedIn(c);
  const actor = actorOf(signedIn);
  const decision = check(actor);
  if (!decision.allowed) throw forbidden(decision.reason);
  return { ...actor, username: signedIn.user.username };
}
