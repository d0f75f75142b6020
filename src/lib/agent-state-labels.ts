import type { AgentStateName } from '../../contracts/agent-states';

/** Each agent state in words, as the phone, the wallboard and the operator panel show it. */
export const agentStateLabels: Record<AgentStateName, string> = {
  available: 'Available',
  not_ready: 'Not ready',
  ringing: 'Ringing',
  on_call: 'On call',
  wrap_up: 'Wrap-up',
  offline: 'Offline',
};

/** "Not ready — Lunch", "Available": the state with its reason when there is one. */
export function agentStateLine(state: { state: AgentStateName; reason: string | null }): string {
  const label = agentStateLabels[state.state];
  return state.state === 'not_ready' && state.reason ? `${label} — ${state.reason}` : label;
}
