import { describe, expect, it } from 'vitest';
import { EdgeRotation } from './edge-rotation';
import { defaultBackoff, reconnectDelay } from './reconnect-backoff';

const edges = ['wss://a/ws', 'wss://b/ws', 'wss://c/ws'];

describe('EdgeRotation', () => {
  it('starts at the first edge and gives each two tries in a row before the next, in order', () => {
    const rotation = new EdgeRotation(edges);
    const tries = [rotation.current.url];
    for (let failure = 0; failure < 5; failure += 1) tries.push(rotation.failed().url);
    expect(tries).toEqual([
      'wss://a/ws',
      'wss://a/ws',
      'wss://b/ws',
      'wss://b/ws',
      'wss://c/ws',
      'wss://c/ws',
    ]);
  });

  it('wraps round from the last edge to the first', () => {
    const rotation = new EdgeRotation(edges, 1);
    expect([rotation.failed(), rotation.failed(), rotation.failed()].map((next) => next.index)).toEqual([
      1, 2, 0,
    ]);
  });

  it('moves forward at once, but waits its back-off when it wraps round or retries the same edge', () => {
    const rotation = new EdgeRotation(['wss://a/ws', 'wss://b/ws']);
    expect(rotation.failed()).toEqual({ url: 'wss://a/ws', index: 0, atOnce: false });
    expect(rotation.failed()).toEqual({ url: 'wss://b/ws', index: 1, atOnce: true });
    expect(rotation.failed()).toEqual({ url: 'wss://b/ws', index: 1, atOnce: false });
    expect(rotation.failed()).toEqual({ url: 'wss://a/ws', index: 0, atOnce: false });
  });

  it('stays on the edge it registered through, its count of failures cleared', () => {
    const rotation = new EdgeRotation(edges);
    rotation.failed();
    rotation.failed();
    rotation.succeeded();
    expect(rotation.failed().url).toBe('wss://b/ws');
    expect(rotation.failed().url).toBe('wss://c/ws');
  });

  it('with one edge retries it for ever, never at once', () => {
    const rotation = new EdgeRotation(['wss://a/ws']);
    for (let failure = 0; failure < 4; failure += 1)
      expect(rotation.failed()).toEqual({ url: 'wss://a/ws', index: 0, atOnce: false });
  });

  it('refuses an empty list with a sentence', () => {
    expect(() => new EdgeRotation([])).toThrow('The phone was given no SIP server to connect to.');
  });

  it('back-off between tries doubles from 0.5 s up to its 4 s cap', () => {
    const delays = [0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelay(attempt, defaultBackoff, () => 0));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});
