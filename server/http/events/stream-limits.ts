import type { Logger } from '../../log';
import { HttpError } from '../http-error';

/** Open `/api/events` streams one web session may hold (a tab each; browsers allow ~6 anyway). */
export const STREAMS_PER_SESSION = 8;

/**
 * Counts open live-event streams per web session and per client address, so one session (or
 * one address) cannot hold hundreds of them open. Past a cap the new stream is refused with a
 * 429 and a sentence; the first refusal for a session or address is logged, and logged again
 * only after it has dropped below its cap.
 */
export class EventStreamLimits {
  private readonly open = new Map<string, number>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly perSession: number,
    private readonly perAddress: number,
    private readonly log: Logger,
  ) {}

  /** Counts a new stream, or throws the 429; call the returned function once the stream ends. */
  acquire(session: { tokenHash: string; username: string }, address: string): () => void {
    const sessionKey = `s:${session.tokenHash}`;
    const addressKey = `a:${address}`;
    if (this.count(sessionKey) >= this.perSession) {
      this.report(
        sessionKey,
        `Refused a live event stream for ${session.username}: their session already has ${this.perSession} open.`,
      );
      throw new HttpError(
        429,
        'rate_limited',
        `This session already has ${this.perSession} live event streams open; close some Switchboard tabs and reload.`,
      );
    }
    if (this.count(addressKey) >= this.perAddress) {
      this.report(
        addressKey,
        `Refused a live event stream from ${address}: ${this.perAddress} are already open from that address (EVENTS_STREAMS_PER_ADDRESS).`,
      );
      throw new HttpError(
        429,
        'rate_limited',
        `Your address already has ${this.perAddress} live event streams open; close some Switchboard tabs and reload.`,
      );
    }
    this.add(sessionKey, 1);
    this.add(addressKey, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.add(sessionKey, -1);
      this.add(addressKey, -1);
    };
  }

  private count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  private add(key: string, delta: number): void {
    const next = this.count(key) + delta;
    if (next > 0) this.open.set(key, next);
    else this.open.delete(key);
    if (delta < 0) this.reported.delete(key);
  }

  private report(key: string, sentence: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.log.warn(sentence);
  }
}
