/** Cancels a scheduled callback; calling it after the callback ran is harmless. */
export type CancelTimer = () => void;

/** The transaction layer's only access to time, so tests can drive it with fake timers. */
export interface TimerHost {
  schedule(delayMs: number, callback: () => void): CancelTimer;
  /** Runs `callback` once at the end of this turn of the event loop, after its I/O and promise callbacks. */
  soon(callback: () => void): void;
  /** Milliseconds on a clock that only moves forward, for timers started later than their cause. */
  now(): number;
}

export const systemTimerHost: TimerHost = {
  schedule(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
  soon(callback) {
    setImmediate(callback);
  },
  now() {
    return performance.now();
  },
};
