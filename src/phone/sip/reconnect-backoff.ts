/** Delays between reconnection tries: 0.5 s, 1 s, 2 s, then at most `maxMs`, each shortened by up to a fifth at random. */
export type Backoff = { baseMs: number; maxMs: number };

export const defaultBackoff: Backoff = { baseMs: 500, maxMs: 4_000 };

/**
 * The wait before try number `attempt` (0 for the first retry). The cap keeps a phone that
 * lost its server registered again within a few seconds of the server being back; the random
 * part only shortens, so many phones do not all knock at once and none waits past the cap.
 */
export function reconnectDelay(
  attempt: number,
  backoff: Backoff = defaultBackoff,
  random = Math.random,
): number {
  const grown = backoff.baseMs * 2 ** Math.max(0, Math.min(attempt, 16));
  const capped = Math.min(grown, backoff.maxMs);
  return Math.round(capped * (1 - 0.2 * random()));
}
