import type { Offer, QueueCaller } from './queue-caller';

type CallState = 'waiting' | 'answered' | 'done';

/** One caller in a queue, from arrival to answer, overflow, refusal or hang-up. */
export class QueueCall {
  state: CallState = 'waiting';
  /** Offers ringing now, by agent. */
  readonly offers = new Map<number, Offer>();
  /** Queues it has waited in (an overflow never leads back to one). */
  readonly visited = new Set<number>();
  agentId: number | null = null;
  wrapUpSeconds = 0;
  maxWait: NodeJS.Timeout | null = null;

  constructor(
    readonly caller: QueueCaller,
    public queueId: number,
    /** When it entered its first queue (ms since the epoch): its wait counts from here. */
    readonly arrivedAt: number,
    /** Arrival order among calls arriving in the same millisecond. */
    readonly seq: number,
  ) {
    this.visited.add(queueId);
  }

  get callId(): string {
    return this.caller.callId;
  }

  waitMs(now = Date.now()): number {
    return now - this.arrivedAt;
  }
}

/** Arrival order: the older call first, then the one that came first in the same millisecond. */
export const before = (a: QueueCall, b: QueueCall): number => a.arrivedAt - b.arrivedAt || a.seq - b.seq;
