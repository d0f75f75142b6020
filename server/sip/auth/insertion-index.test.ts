import { describe, expect, it } from 'vitest';
import { InsertionIndex } from './insertion-index';

type Entry = { key: string; n: number };

/** Pops every entry from the oldest end, as the nonce manager prunes. */
function drain(index: InsertionIndex<Entry>): string[] {
  const keys: string[] = [];
  for (let oldest = index.oldest(); oldest; oldest = index.oldest()) {
    keys.push(oldest.key);
    index.delete(oldest.key);
  }
  return keys;
}

describe('InsertionIndex', () => {
  it('finds entries by key and gives the oldest still held', () => {
    const index = new InsertionIndex<Entry>();
    for (const key of ['a', 'b', 'c']) index.add({ key, n: 0 });
    expect(index.get('b')?.key).toBe('b');
    expect(index.oldest()?.key).toBe('a');
    index.delete('a');
    index.delete('b');
    expect(index.oldest()?.key).toBe('c');
    expect(index.size).toBe(1);
    index.delete('c');
    expect(index.oldest()).toBeUndefined();
  });

  it('makes a replaced entry the newest', () => {
    const index = new InsertionIndex<Entry>();
    for (const key of ['a', 'b', 'c']) index.add({ key, n: 0 });
    index.add({ key: 'a', n: 1 });
    expect(index.get('a')?.n).toBe(1);
    expect(drain(index)).toEqual(['b', 'c', 'a']);
  });

  it('keeps the order through its rebuilds, with most entries deleted out of order', () => {
    const index = new InsertionIndex<Entry>();
    const held: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const key = `k${i}`;
      index.add({ key, n: i });
      // Nine in ten are deleted at once (answered), out of order; every 7th is replaced.
      if (i % 10 !== 0) index.delete(key);
      else held.push(key);
      if (i % 7 === 0 && i % 10 === 0) {
        index.add({ key, n: -i });
        held.splice(held.indexOf(key), 1);
        held.push(key);
      }
    }
    expect(index.size).toBe(held.length);
    expect(drain(index)).toEqual(held);
    expect(index.size).toBe(0);
  });

  it('keeps the oldest-first order at its bound, one added and the oldest deleted each time', () => {
    const index = new InsertionIndex<Entry>();
    for (let i = 0; i < 100_000; i++) index.add({ key: `k${i}`, n: i });
    // Steady state at its bound, as the nonce manager runs: one in, the oldest out.
    // The order is checked at every step and asserted once: 200 000 expect() calls took 20 s
    // of a busy machine.
    let oldestSeen = -1;
    let outOfOrder = 0;
    for (let i = 100_000; i < 300_000; i++) {
      index.add({ key: `k${i}`, n: i });
      const oldest = index.oldest();
      if (oldest?.n !== oldestSeen + 1) outOfOrder++;
      oldestSeen = oldest?.n ?? -1;
      index.delete(oldest?.key ?? '');
    }
    expect(outOfOrder).toBe(0);
    expect(index.size).toBe(100_000);
    expect(index.oldest()?.n).toBe(200_000);
  });
});
