import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignInLimiter, type Gate, type SignInLimiterOptions } from './sign-in-limiter';

const WINDOW_MS = 60_000;
let slept: number[];

function limiter(options: Partial<SignInLimiterOptions> = {}) {
  return new SignInLimiter({
    maxFailures: 3,
    windowMs: WINDOW_MS,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
}

/** Begins an attempt and, when let through, fails it; resolves to what the caller would answer. */
async function fail(
  l: SignInLimiter,
  username: string | null,
  address: string,
): Promise<'checked' | 'refused'> {
  const gate = await l.begin({ username, address });
  if (!gate.allowed) return 'refused';
  await gate.attempt.failed();
  return 'checked';
}

function allowed(gate: Gate) {
  if (!gate.allowed) throw new Error(`refused for ${gate.retryAfterSeconds} s`);
  return gate.attempt;
}

beforeEach(() => {
  slept = [];
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => vi.useRealTimers());

describe('SignInLimiter', () => {
  it('counts an attempt before its password is checked: of 50 begun at once, the limit get through', async () => {
    const l = limiter();
    const gates = await Promise.all(
      Array.from({ length: 50 }, () => l.begin({ username: 'agent1', address: '10.0.0.1' })),
    );
    expect(gates.filter((g) => g.allowed)).toHaveLength(3);
    const refused = gates.filter((g) => !g.allowed);
    expect(refused).toHaveLength(47);
    for (const gate of refused) expect(gate).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('refuses a username from the address that failed until the window ends; other addresses go on', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) expect(await fail(l, 'agent1', '10.0.0.1')).toBe('checked');
    vi.advanceTimersByTime(10_000);
    expect(await l.begin({ username: 'agent1', address: '10.0.0.1' })).toEqual({
      allowed: false,
      retryAfterSeconds: 50,
    });
    allowed(await l.begin({ username: 'agent1', address: '10.0.0.2' }));
    allowed(await l.begin({ username: 'agent2', address: '10.0.0.1' }));
    vi.advanceTimersByTime(50_000);
    allowed(await l.begin({ username: 'agent1', address: '10.0.0.1' }));
  });

  it('limits an address to 4 × the limit across usernames, and says so when the last point is used', async () => {
    const l = limiter();
    for (let i = 0; i < 11; i++) expect(await fail(l, `user${i}`, '10.0.0.1')).toBe('checked');
    const last = allowed(await l.begin({ username: 'user11', address: '10.0.0.1' }));
    expect(await last.failed()).toBe(60);
    expect(await fail(l, 'fresh', '10.0.0.1')).toBe('refused');
    expect(await fail(l, 'fresh', '10.0.0.2')).toBe('checked');
  });

  it('failed() is 0 while points are left, the wait once this attempt used the last one', async () => {
    const l = limiter();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++)
      waits.push(await allowed(await l.begin({ username: 'a', address: 'x' })).failed());
    expect(waits).toEqual([0, 0, 60]);
  });

  it('a refused attempt costs nothing: a locked username does not use up its address', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await fail(l, 'agent1', '10.0.0.1');
    for (let i = 0; i < 100; i++) expect(await fail(l, 'agent1', '10.0.0.1')).toBe('refused');
    // 12 per address, 3 used: 9 more for other usernames.
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await fail(l, `other${i}`, '10.0.0.1'));
    expect(results.filter((r) => r === 'checked')).toHaveLength(9);
  });

  it('a right password gives its points back and forgives that address its failures for the username', async () => {
    const l = limiter();
    for (let i = 0; i < 2; i++) await fail(l, 'agent1', '10.0.0.1');
    await allowed(await l.begin({ username: 'agent1', address: '10.0.0.1' })).succeeded();
    for (let i = 0; i < 3; i++) expect(await fail(l, 'agent1', '10.0.0.1')).toBe('checked');
    expect(await fail(l, 'agent1', '10.0.0.1')).toBe('refused');
  });

  it('an abandoned attempt (no password tested) gives its points back', async () => {
    const l = limiter();
    for (let i = 0; i < 10; i++)
      await allowed(await l.begin({ username: 'agent1', address: 'x' })).abandoned();
    expect(await fail(l, 'agent1', 'x')).toBe('checked');
  });

  it('settles an attempt once', async () => {
    const attempt = allowed(await limiter().begin({ username: 'agent1', address: 'x' }));
    await attempt.failed();
    await expect(attempt.succeeded()).rejects.toThrow(/already/);
  });

  it('slows a username failed from many addresses, never refusing it', async () => {
    const l = limiter();
    // 2 failures from each of 5 addresses: under the limit everywhere, 10 for the username.
    for (let a = 0; a < 5; a++) for (let i = 0; i < 2; i++) await fail(l, 'agent1', `10.0.1.${a}`);
    expect(slept).toEqual([250, 500, 1000, 2000, 3000, 3000, 3000]);
    slept = [];
    await allowed(await l.begin({ username: 'agent1', address: '10.0.2.1' })).succeeded();
    expect(slept).toEqual([3000]);
    // Other usernames are not slowed.
    slept = [];
    await fail(l, 'agent2', '10.0.2.1');
    expect(slept).toEqual([]);
  });

  it('the slow-down doubles from the limit and is capped', () => {
    const l = limiter({ slowDownBaseMs: 100, slowDownMaxMs: 2000 });
    expect([0, 2, 3, 4, 5, 7, 8, 1000].map((n) => l.slowDownMs(n))).toEqual([
      0, 0, 100, 200, 400, 1600, 2000, 2000,
    ]);
  });

  it('an attempt naming no user (a web-session SIP credential) counts for the address only', async () => {
    const l = limiter();
    for (let i = 0; i < 12; i++) expect(await fail(l, null, '10.0.0.1')).toBe('checked');
    expect(await fail(l, null, '10.0.0.1')).toBe('refused');
    expect(await fail(l, 'agent1', '10.0.0.1')).toBe('refused');
    expect(await fail(l, 'agent1', '10.0.0.2')).toBe('checked');
    expect(slept).toEqual([]);
  });

  it('counts an IPv4 client of a dual-stack listener with its plain address', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await fail(l, 'agent1', '::ffff:10.0.0.1');
    expect(await fail(l, 'agent1', '10.0.0.1')).toBe('refused');
  });

  it('a store that fails is an error, not a refusal', async () => {
    const l = limiter({
      store: () =>
        ({
          consume: () => Promise.reject(new Error('database unreachable')),
        }) as never,
    });
    await expect(l.begin({ username: 'agent1', address: 'x' })).rejects.toThrow('database unreachable');
  });
});
