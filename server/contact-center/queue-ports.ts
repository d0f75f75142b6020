import type { QueueMember, QueueOverflow, QueueStrategy } from '../../contracts/queues';

/** A queue as the engine uses it: members already expanded to users (groups resolved). */
export interface QueueConfig {
  readonly id: number;
  readonly name: string;
  readonly extension: string;
  readonly strategy: QueueStrategy;
  /** Users offered calls, with the priority their entry (user or group) gave them; 1 first. */
  readonly agents: readonly { readonly userId: number; readonly priority: number }[];
  readonly members: readonly QueueMember[];
  readonly ringSeconds: number;
  readonly maxWaitSeconds: number;
  readonly overflow: QueueOverflow;
  readonly wrapUpSeconds: number;
  readonly serviceLevelSeconds: number;
}

/** Where the engine reads queues from (the store, kept current by `queue`, `user` and `group` events). */
export interface QueueSource {
  byExtension(extension: string): QueueConfig | null;
  byId(id: number): QueueConfig | null;
}

/** What the wallboard asks the engine: callers waiting now. */
export interface QueueLive {
  waiting(queueId: number): { count: number; longestWaitSeconds: number };
}

/**
 * What happened to a queue call, written on its call record by the store (the Call-ID is the
 * caller's INVITE's, the call record's key).
 */
export interface QueueCallLog {
  queued(callId: string, queueId: number): void;
  answered(callId: string, queueId: number, userId: number, waitMs: number): void;
  abandoned(callId: string, queueId: number, waitMs: number): void;
  overflowed(callId: string, queueId: number, waitMs: number, to: QueueOverflow): void;
}
