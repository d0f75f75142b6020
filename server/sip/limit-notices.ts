import type { Logger } from '../log';

/**
 * Warnings about a remote address going over a limit, at most one line per address per
 * window: a flood must not flood the log too. The next line says how many were left out.
 */
export class LimitNotices {
  readonly #said = new Map<string, { at: number; since: number }>();

  constructor(
    private readonly log: Logger,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  say(address: string, sentence: string): void {
    const now = this.now();
    const last = this.#said.get(address);
    if (last && now - last.at < this.windowMs) {
      last.since++;
      return;
    }
    const more =
      last && last.since > 0 ? ` (and ${last.since} more from this address in the minute before)` : '';
    this.log.warn(`SIP edge: ${sentence}${more}.`);
    if (this.#said.size >= 1024) this.#forgetOld(now);
    this.#said.set(address, { at: now, since: 0 });
  }

  #forgetOld(now: number): void {
    for (const [address, last] of this.#said) {
      if (now - last.at >= this.windowMs) this.#said.delete(address);
    }
  }
}
