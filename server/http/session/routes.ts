import { createRoute } from '@hono/zod-openapi';
import { sessionStateSchema, signInSchema } from '../../../contracts/session';
import { meSchema, type Me } from '../../../contracts/users';
import { verifyAgainstNothing, verifyPassword } from '../../auth/passwords';
import { hashSessionToken, newSessionToken } from '../../auth/session-token';
import { deleteExpiredSessions, deleteSession, insertSession } from '../../store/sessions-repository';
import { bumpSipCredentialGeneration, findUserByUsername } from '../../store/users-repository';
import type { SignedIn } from '../app-env';
import { clientAddress } from '../client-address';
import { HttpError } from '../http-error';
import { createRouter, errorResponses, json, jsonBody, noContent, rateLimitedResponse } from '../openapi';
import { presentUser } from '../users/present-user';
import { clearSessionCookie, setSessionCookie } from '../session-cookie';
import { requireSignedIn } from '../signed-in';
import { findProfile } from '../../store/profiles-repository';
import { profileSummary } from '../profiles/present-profile';

const signIn = createRoute({
  method: 'post',
  path: '/session',
  tags: ['session'],
  summary: 'Sign in with username and password; sets the httpOnly session cookie',
  request: jsonBody(signInSchema),
  responses: {
    200: json(meSchema, 'Signed in.'),
    400: errorResponses[400],
    401: errorResponses[401],
    ...rateLimitedResponse,
  },
});

const signOut = createRoute({
  method: 'delete',
  path: '/session',
  tags: ['session'],
  summary: 'Sign out: ends the session and clears the cookie',
  responses: noContent,
});

const sessionState = createRoute({
  method: 'get',
  path: '/session',
  tags: ['session'],
  summary: 'Who is signed in: the signed-in user, or `me: null` when nobody is (never a 401)',
  responses: { 200: json(sessionStateSchema, 'Who is signed in, if anyone.') },
});

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['session'],
  summary: 'The signed-in user, their role and their profile flags',
  responses: { 200: json(meSchema, 'The signed-in user.'), 401: errorResponses[401] },
});

/**
 * Presented once per person: the Directory hands every request of a user the same objects
 * until anything is reloaded, and presenting (two dates to text) was 5 % of GET /api/me.
 */
const presented = new WeakMap<SignedIn['user'], Me>();

export function presentMe(signedIn: Pick<SignedIn, 'user' | 'profile'>): Me {
  const known = presented.get(signedIn.user);
  if (known && known.profile === signedIn.profile) return known;
  const me = { user: presentUser(signedIn.user), profile: signedIn.profile };
  presented.set(signedIn.user, me);
  return me;
}

export const sessionRoutes = createRouter()
  .openapi(signIn, async (c) => {
    const { db, config, limiter, log } = c.var.deps;
    const { username, password } = c.req.valid('json');
    const address = clientAddress(c);
    // The attempt is counted before the password is checked, so many sent at once cannot all be checked.
    const gate = await limiter.begin({ username, address });
    if (!gate.allowed)
      throw new HttpError(
        429,
        'rate_limited',
        `Too many failed sign-ins. Try again in ${gate.retryAfterSeconds} seconds.`,
        undefined,
        { 'Retry-After': String(gate.retryAfterSeconds) },
      );
    const { attempt } = gate;
    let user: Awaited<ReturnType<typeof findUserByUsername>>;
    let ok: boolean;
    try {
      user = await findUserByUsername(db, username);
      ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstNothing(password);
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    if (!user || !ok) {
      await attempt.failed();
      log.info(`sign-in refused for ${JSON.stringify(username.slice(0, 64))} from ${address}`);
      throw new HttpError(401, 'unauthenticated', 'Wrong username or password.');
    }
    await attempt.succeeded();
    const token = newSessionToken();
    // Signing in is when sessions are made, so it is when expired ones are swept.
    await deleteExpiredSessions(db);
    await insertSession(db, {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      expiresAt: new Date(Date.now() + config.sessionTtlMs),
      userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
    });
    setSessionCookie(c, token, config);
    log.info(`${user.username} signed in from ${address}`);
    const profile = user.profileId === null ? undefined : await findProfile(db, user.profileId);
    return c.json(presentMe({ user, profile: profileSummary(profile) }), 200);
  })
  .openapi(signOut, async (c) => {
    const signedIn = c.var.signedIn;
    if (signedIn) {
      const { db, events, sip } = c.var.deps;
      // The SIP credentials this session was given end with it, and so do their registrations.
      const userId = signedIn.user.id;
      await db.transaction(async (tx) => {
        await deleteSession(tx, signedIn.tokenHash);
        await bumpSipCredentialGeneration(tx, userId);
      });
      c.var.deps.sessions.forget(signedIn.tokenHash);
      events.publish({ entity: 'user', id: userId });
      sip.dropUser(userId);
    }
    clearSessionCookie(c, c.var.deps.config);
    return c.body(null, 204);
  })
  .openapi(sessionState, (c) => {
    const signedIn = c.var.signedIn;
    return c.json({ me: signedIn ? presentMe(signedIn) : null }, 200);
  })
  .openapi(me, (c) => c.json(presentMe(requireSignedIn(c)), 200));
