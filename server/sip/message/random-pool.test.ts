import { describe, expect, it } from 'vitest';
import { fillRandom, opaqueId, randomBase64url } from './random-pool';

describe('random pool', () => {
  it('hands out bytes once: 10 000 ids across several refills are all distinct', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => opaqueId('ws-')));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^ws-[A-Za-z0-9_-]{22}$/);
  });

  it('gives base64url text of the bytes asked for', () => {
    expect(Buffer.from(randomBase64url(12), 'base64url')).toHaveLength(12);
    expect(() => randomBase64url(5000)).toThrow(RangeError);
  });

  it('fills only the range asked for', () => {
    const target = Buffer.alloc(24);
    fillRandom(target, 8, 8);
    expect(target.subarray(0, 8).equals(Buffer.alloc(8))).toBe(true);
    expect(target.subarray(16).equals(Buffer.alloc(8))).toBe(true);
    expect(target.subarray(8, 16).equals(Buffer.alloc(8))).toBe(false);
  });
});
