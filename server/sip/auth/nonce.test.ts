import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { NonceManager } from './nonce';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function manager(options: { lifetimeSeconds?: number; maxTracked?: number } = {}) {
  const clock = { now: 1_700_000_000_000 };
  const nonces = new NonceManager({
    secret: 'a-server-secret-of-some-length',
    now: () => clock.now,
    ...options,
  });
  return { nonces, clock };
}

describe('NonceManager', () => {
  it('issues distinct, valid, URL-safe nonces', () => {
    const { nonces } = manager();
    const a = nonces.issue();
    const b = nonces.issue();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonces.check(a)).toBe('valid');
  });

  it('refuses forged, altered and foreign nonces', () => {
    const { nonces } = manager();
    const nonce = nonces.issue();
    const flipped = nonce[5] === 'A' ? 'B' : 'A';
    expect(nonces.check(nonce.slice(0, 5) + flipped + nonce.slice(6))).toBe('invalid');
    expect(nonces.check('')).toBe('invalid');
    expect(nonces.check('x'.repeat(43))).toBe('invalid');
    expect(nonces.check('7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v')).toBe('invalid');
    const other = new NonceManager({ secret: 'another-secret-entirely!!' });
    expect(nonces.check(other.issue())).toBe('invalid');
  });

  it('checks an issued nonce by its signature once the waiting list has forgotten it', () => {
    const { nonces } = manager({ maxTracked: 2 });
    const [first, second, third] = [nonces.issue(), nonces.issue(), nonces.issue()];
    for (const nonce of [first, second, third]) expect(nonces.check(nonce)).toBe('valid');
    expect(nonces.useCount(first, 1)).toBe('ok');
    expect(nonces.useCount(first, 1)).toBe('replayed');
    const flipped = first[10] === 'A' ? 'B' : 'A';
    expect(nonces.check(first.slice(0, 10) + flipped + first.slice(11))).toBe('invalid');
  });

  it('answers a nonce answered after maxTracked newer ones as stale, without forgetting them', () => {
    const { nonces } = manager({ maxTracked: 2 });
    const [late, other, newer] = [nonces.issue(), nonces.issue(), nonces.issue()];
    expect(nonces.useCount(newer, 1)).toBe('ok');
    expect(nonces.check(late)).toBe('valid'); // still ours, by its MAC
    expect(nonces.useCount(late, 1)).toBe('stale'); // the client asks again
    expect(nonces.useCount(newer, 1)).toBe('replayed'); // still remembered
    expect(nonces.useCount(other, 1)).toBe('ok');
    expect(nonces.trackedCount).toBe(2);
  });

  it('goes stale after its lifetime (default 300 s)', () => {
    const { nonces, clock } = manager();
    const nonce = nonces.issue();
    clock.now += 300_000;
    expect(nonces.check(nonce)).toBe('valid');
    clock.now += 1;
    expect(nonces.check(nonce)).toBe('stale');
  });

  it('honours a configured lifetime', () => {
    const { nonces, clock } = manager({ lifetimeSeconds: 30 });
    const nonce = nonces.issue();
    clock.now += 31_000;
    expect(nonces.check(nonce)).toBe('stale');
  });

  it('requires the nonce-count to increase', () => {
    const { nonces } = manager();
    const nonce = nonces.issue();
    expect(nonces.useCount(nonce, 1)).toBe('ok');
    expect(nonces.useCount(nonce, 1)).toBe('replayed');
    expect(nonces.useCount(nonce, 3)).toBe('ok');
    expect(nonces.useCount(nonce, 2)).toBe('replayed');
    expect(nonces.useCount(nonces.issue(), 1)).toBe('ok');
  });

  it('bounds memory and never re-opens a replay for a forgotten nonce', () => {
    const { nonces, clock } = manager({ maxTracked: 100 });
    const first = nonces.issue();
    expect(nonces.useCount(first, 1)).toBe('ok');
    for (let i = 0; i < 1_000; i++) {
      clock.now += 1;
      expect(nonces.useCount(nonces.issue(), 1)).toBe('ok');
    }
    expect(nonces.trackedCount).toBeLessThanOrEqual(100);
    // Forgotten: replaying it must not succeed; it is stale so the client re-challenges.
    expect(nonces.useCount(first, 1)).toBe('stale');
    expect(nonces.useCount(first, 2)).toBe('stale');
    // A fresh nonce still works.
    clock.now += 1;
    expect(nonces.useCount(nonces.issue(), 1)).toBe('ok');
  });

  it('forgets expired nonces without raising the watermark', () => {
    const { nonces, clock } = manager({ lifetimeSeconds: 10 });
    for (let i = 0; i < 50; i++) nonces.useCount(nonces.issue(), 1);
    clock.now += 11_000;
    const fresh = nonces.issue();
    expect(nonces.useCount(fresh, 1)).toBe('ok');
    expect(nonces.trackedCount).toBe(1);
    const unused = nonces.issue();
    expect(nonces.useCount(unused, 1)).toBe('ok');
  });
  it('remembers an answered nonce without the request it came in', () => {
    // Each answer cut from a request of its own, 100 KB here: kept as it came, every nonce
    // remembered would keep its whole request for the nonce's lifetime.
    for (const forgotten of [false, true]) {
      const { nonces } = manager();
      const answered = Array.from({ length: 200 }, () => nonces.issue());
      // A nonce no longer waiting (a restart) is checked by its MAC and remembered all the same.
      const restarted = forgotten ? manager().nonces : nonces;
      gc();
      const before = process.memoryUsage().heapUsed;
      for (const [i, nonce] of answered.entries()) {
        const request = `REGISTER ${i} ${'x'.repeat(100_000)} nonce="${nonce}"`;
        const carried = request.slice(request.indexOf('"') + 1, -1);
        expect(restarted.useCount(carried, 1)).toBe('ok');
      }
      gc();
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(2_000_000);
      expect(restarted.trackedCount).toBe(200);
    }
  });
});
