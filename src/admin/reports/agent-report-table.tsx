import type { AgentReportRow } from '../../../contracts/queue-reports';
import { agentStateLabels } from '../../lib/agent-state-labels';
import { formatClock } from '../../lib/format-time';
import { TableScroll } from '../../lib/table-scroll';

const clock = (seconds: number | null) => (seconds === null ? '—' : formatClock(seconds * 1000));
const shownStates = ['available', 'on_call', 'wrap_up', 'not_ready'] as const;

/** Each agent's day: queue calls offered, answered and missed, handle time, time in each state. */
export function AgentReportTable({ rows }: { rows: readonly AgentReportRow[] }) {
  return (
    <TableScroll label="Agents report table">
      <table className="data-table">
        <caption className="visually-hidden">Agents</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Offered</th>
            <th scope="col">Answered</th>
            <th scope="col">Missed</th>
            <th scope="col">Average handle</th>
            {shownStates.map((state) => (
              <th key={state} scope="col">
                {agentStateLabels[state]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.userId ?? row.username}>
              <th scope="row">{row.username}</th>
              <td className="numbers">{row.offered}</td>
              <td className="numbers">{row.answered}</td>
              <td className="numbers">{row.missed}</td>
              <td className="numbers">{clock(row.averageHandleSeconds)}</td>
              {shownStates.map((state) => (
                <td key={state} className="numbers">
                  {clock(row.secondsInState[state])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
