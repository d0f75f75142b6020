import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { AgentStateChangeRecord } from '../../../contracts/agent-states';
import { agentStateLabels } from '../../lib/agent-state-labels';
import { formatDateTime, formatDuration } from '../../lib/format-time';
import { SelectField } from '../../lib/select-field';
import { TableScroll } from '../../lib/table-scroll';
import { agentBoardQueries } from '../common/agent-board-queries';
import { DayField, useDay } from '../common/day-field';
import { usePageIndex } from '../common/use-page-index';
import { Pager } from '../pager';
import { QueryState } from '../query-state';
import {
  agentHistoryExportUrl,
  agentHistoryQueries,
  type AgentHistoryFilters,
} from './agent-history-queries';

/** How long the agent stayed in the state: "2 min 30 s", or that they still are. */
const durationOf = (change: AgentStateChangeRecord) =>
  change.seconds === null ? 'Still in it' : formatDuration(change.seconds * 1000);

/**
 * Every agent-state change of a chosen day (from, to, when, reason, how long), newest first, a
 * page at a time, for one agent or all the signed-in person may see (the server decides: an
 * operator's barge group, everyone for supervisors), with the day's CSV.
 */
export function AgentHistoryScreen() {
  const day = useDay();
  const { date } = day;
  const [agent, setAgent] = useState('');
  const filters = useMemo<AgentHistoryFilters>(
    () => ({ date, ...(agent ? { userId: Number(agent) } : {}) }),
    [date, agent],
  );
  const [pageIndex, setPageIndex] = usePageIndex(filters);
  const agents = useQuery(agentBoardQueries.board());
  const history = useQuery({ ...agentHistoryQueries.page(filters, pageIndex), enabled: day.valid });
  const agentName = agents.data?.find((candidate) => String(candidate.userId) === agent)?.username;
  const sorted = useMemo(
    () => [...(agents.data ?? [])].sort((a, b) => a.username.localeCompare(b.username)),
    [agents.data],
  );

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Filter the agent-state history">
        <DayField day={day} />
        <SelectField label="Agent" value={agent} onChange={(event) => setAgent(event.target.value)}>
          <option value="">Every agent</option>
          {sorted.map((candidate) => (
            <option key={candidate.userId} value={candidate.userId}>
              {candidate.displayName
                ? `${candidate.displayName} (${candidate.username})`
                : candidate.username}
            </option>
          ))}
        </SelectField>
        {day.valid ? (
          <a
            className="button button-secondary"
            href={agentHistoryExportUrl(filters)}
            download
            aria-label={`Download CSV of the agent-state history of ${date}${agentName ? ` for ${agentName}` : ''}`}
          >
            Download CSV
          </a>
        ) : null}
      </div>
      {day.valid ? (
        <QueryState query={history} what="agent-state history">
          {(page) =>
            page.total === 0 ? (
              <p className="empty-state">
                {agent ? 'This agent’s state did not change that day.' : 'No agent’s state changed that day.'}
              </p>
            ) : (
              <>
                <TableScroll label="Agent-state history table">
                  <table className="data-table">
                    <caption className="visually-hidden">Agent-state changes</caption>
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Agent</th>
                        <th scope="col">From</th>
                        <th scope="col">To</th>
                        <th scope="col">Reason</th>
                        <th scope="col">Duration</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((change) => (
                        <tr key={change.id}>
                          <td>
                            <time dateTime={change.at}>{formatDateTime(change.at)}</time>
                          </td>
                          <th scope="row">{change.username}</th>
                          <td>{agentStateLabels[change.from]}</td>
                          <td>{agentStateLabels[change.to]}</td>
                          <td>{change.reason ?? ''}</td>
                          <td>{durationOf(change)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
                <Pager page={page} what="changes" setPageIndex={setPageIndex} />
              </>
            )
          }
        </QueryState>
      ) : null}
    </div>
  );
}
