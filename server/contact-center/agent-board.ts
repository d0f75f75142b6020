import type { AgentState, AgentStateName } from '../../contracts/agent-states';

/**
 * Agent states as the queue engine (server/sip/queues) reads and moves them; implemented by the
 * contact-center service, which also keeps every change for reports and publishes live events.
 * Ringing, On call and Wrap-up follow queue calls through these calls; Offline follows the
 * agent's registrations.
 */
export interface AgentBoard {
  stateOf(userId: number): AgentState;
  /** Only the state's name: what the queue engine asks of every agent in each pass (no dates formatted). */
  stateNameOf(userId: number): AgentStateName;
  /** Since when the agent has been idle (Available with no call), for the longest-idle strategy. */
  idleSince(userId: number): Date | null;
  /** Queue calls the agent answered today, for the fewest-calls strategy. */
  answeredToday(userId: number): number;
  /** A queue call is ringing the agent: Available → Ringing. */
  offered(userId: number, callId: string): void;
  /** The agent answered it: Ringing → On call. */
  answered(userId: number, callId: string, queueId: number): void;
  /** It rang out or the agent declined: Not ready, "Missed a queue call". */
  missed(userId: number, callId: string): void;
  /** The offer was withdrawn (the caller hung up, another agent took it): back to Available. */
  withdrawn(userId: number, callId: string): void;
  /** The queue call ended: Wrap-up for the queue's wrap-up seconds (0: Available at once). */
  ended(userId: number, callId: string, wrapUpSeconds: number): void;
  /** Called whenever an agent may have become free to take a queue call. */
  onAvailable(listener: (userId: number) => void): () => void;
}
