import { useEffect, useRef, useState } from 'react';

/**
 * The value once it has stopped changing for `delayMs`, so a search box asks the server less
 * often. The first change after a quiet spell goes through at once (on the next tick): a single
 * edit or paste is not kept waiting.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  const lastChange = useRef(0);
  useEffect(() => {
    const now = performance.now();
    const quiet = now - lastChange.current > delayMs;
    lastChange.current = now;
    const timer = setTimeout(() => setSettled(value), quiet ? 0 : delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
