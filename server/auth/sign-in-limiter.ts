/**
 * Counts failed sign-ins per username and per client address within a sliding window.
 * Past the limit, sign-in is refused until the oldest failure leaves the window.
 * Kept in memory: the server is one process; a restart forgets, which only helps the user.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Client addresses get more room: many agents may sit behind one NAT. */
    private readonly addressFactor = 4,
  ) {}

  /** Seconds until the next try is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(username: string, address: string): number {
    const wait = Math.max(
      this.waitFor(`u:${username}`, this.maxFailures),
      this.waitFor(`a:${address}`, this.maxFailures * this.addressFactor),
    );
    return Math.ceil(wait / 1000);
  }

  recordFailure(username: string, address: string): void {
    this.push(`u:${username}`);
    this.push(`a:${address}`);
    if (this.failures.size > 50_000) this.prune();
  }

  recordSuccess(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private waitFor(key: string, limit: number): number {
    const times = this.recent(key);
    if (times.length < limit) return 0;
    const oldestThatCounts = times[times.length - limit] ?? this.now();
    return Math.max(0, oldestThatCounts + this.windowMs - this.now());
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const times = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  private push(key: string): void {
    const times = this.recent(key);
    times.push(this.now());
    // Keep only what can matter for the largest limit.
    this.failures.set(key, times.slice(-this.maxFailures * this.addressFactor));
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
