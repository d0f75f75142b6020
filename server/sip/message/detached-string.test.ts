import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detached } from './detached-string';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap a list of values keeps, measured around building it from texts that are then dropped. */
function heapKeptBy(cut: (text: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 200; i++) {
    // A distinct 100 KB message each time, with a Contact URI in it.
    const message = `REGISTER ${i} ${'x'.repeat(100_000)} <sip:agent${i}@abcdef.invalid;transport=ws>`;
    kept.push(cut(message.slice(message.indexOf('<') + 1, -1)));
  }
  gc();
  const used = process.memoryUsage().heapUsed - before;
  expect(kept[199]).toBe('sip:agent199@abcdef.invalid;transport=ws');
  return used;
}

describe('detached', () => {
  it('keeps the value and not the message it was cut from', () => {
    // The control: a plain slice holds its 100 KB message.
    expect(heapKeptBy((value) => value)).toBeGreaterThan(15_000_000);
    expect(heapKeptBy(detached)).toBeLessThan(1_000_000);
  });

  it('returns the same text, multi-byte characters included', () => {
    const value = 'sip:agent@example.com;display=Zoë Łukasz 電話';
    expect(detached(` ${value}`.slice(1))).toBe(value);
    expect(detached('short')).toBe('short');
  });
});
