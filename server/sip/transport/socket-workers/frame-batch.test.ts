import { describe, expect, it } from 'vitest';
import { FrameBatch } from './frame-batch';
import { FrameReader } from './frame-codec';

describe('frame batch of the socket workers’ data pipe', () => {
  it('writes every 8 frames at once and the rest at the end of the turn, in order', async () => {
    const writes: Buffer[] = [];
    const batch = new FrameBatch((bytes) => writes.push(bytes));
    for (let slot = 0; slot < 20; slot++) batch.push(1, slot, `message ${slot}`);
    expect(writes).toHaveLength(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(3);

    const slots: number[][] = writes.map((bytes) => {
      const seen: number[] = [];
      new FrameReader((_kind, slot, payload, start, end) => {
        expect(payload.toString('utf8', start, end)).toBe(`message ${slot}`);
        seen.push(slot);
      }).feed(bytes);
      return seen;
    });
    expect(slots.map((seen) => seen.length)).toEqual([8, 8, 4]);
    expect(slots.flat()).toEqual(Array.from({ length: 20 }, (_, slot) => slot));
  });

  it('writes nothing for an empty turn, and what is left when flushed', async () => {
    const writes: Buffer[] = [];
    const batch = new FrameBatch((bytes) => writes.push(bytes));
    batch.flush();
    expect(writes).toHaveLength(0);
    batch.push(0, 7);
    batch.flush();
    expect(writes).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
  });
});
