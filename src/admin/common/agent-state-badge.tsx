import type { AgentState } from '../../../contracts/agent-states';
import { agentStateLine } from '../../lib/agent-state-labels';
import './agent-state-badge.css';

/** An agent's state as a coloured dot and words ("Not ready — Lunch"), for the wallboard and the operator panel. */
export function AgentStateBadge({ agent }: { agent: Pick<AgentState, 'state' | 'reason'> }) {
  return (
    <span className={`agent-state agent-state-${agent.state}`}>
      <span className="agent-state-dot" aria-hidden="true" />
      {agentStateLine(agent)}
    </span>
  );
}
