import type { AgentBoardEntry } from '../../../contracts/agent-states';
import { formatClock } from '../../lib/format-time';
import { TableScroll } from '../../lib/table-scroll';
import { useNow } from '../../lib/use-now';
import { AgentStateBadge } from '../common/agent-state-badge';

/** Every agent: state (with its reason), time in it ticking each second, and calls answered today. */
export function AgentsBoardTable({ agents }: { agents: readonly AgentBoardEntry[] }) {
  const now = useNow(agents.length > 0);
  return (
    <TableScroll label="Agents table">
      <table className="data-table agents-board">
        <caption className="visually-hidden">Agents</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">State</th>
            <th scope="col">Time in state</th>
            <th scope="col">Answered today</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.userId}>
              <th scope="row">
                {agent.displayName} <span className="muted">({agent.extension})</span>
              </th>
              <td>
                <AgentStateBadge agent={agent} />
              </td>
              <td className="numbers">{formatClock(now - Date.parse(agent.since))}</td>
              <td className="numbers">{agent.answeredToday}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
