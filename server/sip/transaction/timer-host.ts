/** Cancels a scheduled callback; calling it after the callback ran is harmless. */
export type CancelTimer = () => void;

/** The transaction layer's only access to time, so tests can drive it with fake timers. */
export interface TimerHost {
  schedule(delayMs: number, callback: () => void): CancelTimer;
}

export const systemTimerHost: TimerHost = {
  schedule(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};
