import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-error';
import { loopbackAddress, signInFrom } from './support/from-address';
import { startTestServer, type TestServer } from './support/test-server';

// Attacks on sign-in, each from its own loopback addresses so the tests do not share counts.
const MAX_FAILURES = 5;
const WINDOW_SECONDS = 600;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: { SIGNIN_MAX_FAILURES: String(MAX_FAILURES), SIGNIN_WINDOW_SECONDS: String(WINDOW_SECONDS) },
  });
});
afterAll(() => server?.close());

const password = (username: string) => server.logins[username]?.password ?? '';
const signIn = (address: string, username: string, secret: string) =>
  signInFrom(address, server.url, username, secret);

function countStatuses(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('sign-in limits under concurrency', () => {
  it(`200 wrong passwords for one username sent at once: only ${MAX_FAILURES} are checked, the rest get 429`, async () => {
    const address = loopbackAddress(11);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signIn(address, 'agent1', `wrong-${i}`)),
    );
    const counts = countStatuses(answers.map((a) => a.status));
    expect(counts).toEqual({ 401: MAX_FAILURES, 429: 200 - MAX_FAILURES });
    for (const answer of answers.filter((a) => a.status === 429)) {
      expectApiError(answer, 429, 'rate_limited');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The right password from that address waits for the window too.
    expectApiError(await signIn(address, 'agent1', password('agent1')), 429, 'rate_limited');
  });

  it(`200 wrong sign-ins for many usernames from one address at once: at most ${4 * MAX_FAILURES} are checked`, async () => {
    const address = loopbackAddress(12);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signIn(address, `nobody_${i}`, 'wrong-password')),
    );
    expect(countStatuses(answers.map((a) => a.status))).toEqual({
      401: 4 * MAX_FAILURES,
      429: 200 - 4 * MAX_FAILURES,
    });
  });
});

describe('nobody can lock a user out', () => {
  it('after one address failed, it gets 429 with Retry-After; the right password from another address signs in', async () => {
    const attacker = loopbackAddress(21);
    for (let i = 0; i < MAX_FAILURES; i++)
      expectApiError(await signIn(attacker, 'supervisor', `wrong-${i}`), 401, 'unauthenticated');

    const limited = await signIn(attacker, 'supervisor', password('supervisor'));
    const error = expectApiError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(error.message).toBe(`Too many failed sign-ins. Try again in ${retryAfter} seconds.`);
    expect(limited.headers.getSetCookie()).toHaveLength(0);

    const user = await signIn(loopbackAddress(22), 'supervisor', password('supervisor'));
    expect(user.status, user.text).toBe(200);
    expect(user.headers.getSetCookie()).toHaveLength(1);
  });

  it('a username failed from many addresses is slowed down, never refused: the right password still signs in', async () => {
    // Fewer than the limit from each address, MAX + 2 in all.
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      const address = loopbackAddress(30 + Math.floor(i / 2));
      expectApiError(await signIn(address, 'operator', `wrong-${i}`), 401, 'unauthenticated');
    }
    const started = performance.now();
    const user = await signIn(loopbackAddress(40), 'operator', password('operator'));
    const waited = performance.now() - started;
    expect(user.status, user.text).toBe(200);
    // The answer waited: 250 ms at the limit, doubling with each failure after it.
    expect(waited).toBeGreaterThanOrEqual(1000);
    // Another username from the same addresses is not slowed.
    const started2 = performance.now();
    expect((await signIn(loopbackAddress(30), 'agent2', password('agent2'))).status).toBe(200);
    expect(performance.now() - started2).toBeLessThan(waited);
  });
});
