import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStateSchema } from '../../contracts/session';
import { meSchema } from '../../contracts/users';
import { sessions } from '../../server/store/schema';
import { expectApiError } from './support/expect-error';
import { startTestServer, type TestServer } from './support/test-server';

const MAX_FAILURES = 3;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: { SIGNIN_MAX_FAILURES: String(MAX_FAILURES), SIGNIN_WINDOW_SECONDS: '600' },
  });
});
afterAll(() => server?.close());

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict, Path=/ session cookie and answers with the user', async () => {
    const client = server.client();
    const response = await client.signIn('supervisor', server.logins.supervisor!.password);
    expect(response.status).toBe(200);
    const me = meSchema.parse(response.body);
    expect(me.user.username).toBe('supervisor');
    expect(me.user.role).toBe('supervisor');
    expect(me.profile?.name).toBe('supervisors');
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const attributes = (cookies[0] ?? '').split(';').map((part) => part.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^sb_session=.{20,}/);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
  });

  it('GET /api/me returns the user, role and profile flags', async () => {
    const client = await server.signIn('operator');
    const response = await client.get('/api/me');
    expect(response.status).toBe(200);
    const me = meSchema.parse(response.body);
    expect(me.user.username).toBe('operator');
    expect(me.profile?.flags).toEqual(expect.arrayContaining(['listen', 'whisper', 'barge']));
    expect(me.profile?.bargeGroup).toBe('floor_1');
  });

  it('GET /api/session says who is signed in, and answers 200 with nobody when signed out', async () => {
    const signedOut = await server.client().get('/api/session');
    expect(signedOut.status).toBe(200);
    expect(sessionStateSchema.parse(signedOut.body)).toEqual({ me: null });

    const client = await server.signIn('agent2');
    const signedIn = await client.get('/api/session');
    expect(signedIn.status).toBe(200);
    expect(sessionStateSchema.parse(signedIn.body).me?.user.username).toBe('agent2');

    await client.delete('/api/session');
    expect(sessionStateSchema.parse((await client.get('/api/session')).body)).toEqual({ me: null });
  });

  it('refuses a wrong password and an unknown user with the same message', async () => {
    const wrong = await server.client().signIn('agent2', 'not-the-password');
    const unknown = await server.client().signIn('nobody_here', 'not-the-password');
    const a = expectApiError(wrong, 401, 'unauthenticated');
    const b = expectApiError(unknown, 401, 'unauthenticated');
    expect(a.message).toBe(b.message);
    expect(wrong.headers.getSetCookie()).toHaveLength(0);
  });

  it('sets no cookie and creates no session when refused', async () => {
    const before = (await server.db.select().from(sessions)).length;
    const response = await server.client().signIn('agent3', 'wrong-password');
    expectApiError(response, 401);
    expect((await server.db.select().from(sessions)).length).toBe(before);
  });
});

describe('sign-out', () => {
  it('ends the session on the server: the old cookie no longer works', async () => {
    const client = await server.signIn('agent1');
    const oldCookie = client.sessionCookie;
    expect((await client.get('/api/me')).status).toBe(200);

    const out = await client.delete('/api/session');
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
    expect(cleared).toMatch(/max-age=0|expires=thu, 01 jan 1970/i);

    const replay = server.client();
    replay.sessionCookie = oldCookie;
    expectApiError(await replay.get('/api/me'), 401, 'unauthenticated');
  });

  it('signed out, DELETE /api/session is harmless (204)', async () => {
    expect((await server.client().delete('/api/session')).status).toBe(204);
  });

  it('a made-up cookie is treated as signed out', async () => {
    const client = server.client();
    client.sessionCookie = 'sb_session=forged-token-value';
    expectApiError(await client.get('/api/me'), 401, 'unauthenticated');
  });
});

describe('rate limiting of failed sign-ins', () => {
  it(`after ${MAX_FAILURES} wrong passwords answers 429 with Retry-After, even for the right password`, async () => {
    const client = server.client();
    for (let i = 0; i < MAX_FAILURES; i++)
      expectApiError(await client.signIn('supervisor', `wrong-${i}`), 401);

    const limited = await client.signIn('supervisor', 'wrong-again');
    const error = expectApiError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const match = /Try again in (\d+) seconds/.exec(error.message);
    expect(match?.[1]).toBeDefined();
    expect(Number(match?.[1])).toBe(retryAfter);

    const right = await client.signIn('supervisor', server.logins.supervisor!.password);
    expectApiError(right, 429, 'rate_limited');
    expect(right.headers.getSetCookie()).toHaveLength(0);
  });

  it('limits per username: another user still signs in', async () => {
    const client = server.client();
    expect((await client.signIn('agent1', server.logins.agent1!.password)).status).toBe(200);
  });
});
