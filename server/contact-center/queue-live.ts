/**
 * What the queue engine knows that the store does not: the callers waiting now. The wallboard
 * reads it when the edge runs a queue engine; without one every queue shows none waiting.
 */
export interface QueueLive {
  waiting(queueId: number): { count: number; longestWaitSeconds: number };
}

export const noQueueLive: QueueLive = { waiting: () => ({ count: 0, longestWaitSeconds: 0 }) };
