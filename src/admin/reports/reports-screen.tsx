import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { DayField, useDay } from '../common/day-field';
import { QueryState } from '../query-state';
import { AgentReportTable } from './agent-report-table';
import { QueueReportTable } from './queue-report-table';
import { reportExportUrl, reportQueries } from './report-queries';

/** The per-queue and per-agent figures of a chosen day, each with its CSV. */
export function ReportsScreen() {
  const chosen = useDay();
  const day = chosen.valid ? chosen.date : '';
  const queues = useQuery({ ...reportQueries.queues(day), enabled: chosen.valid });
  const agents = useQuery({ ...reportQueries.agents(day), enabled: chosen.valid });
  const queuesTitle = useId();
  const agentsTitle = useId();

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Choose the day">
        <DayField day={chosen} />
      </div>
      <section aria-labelledby={queuesTitle}>
        <div className="screen-toolbar">
          <h4 id={queuesTitle} className="subheading">
            Queues
          </h4>
          {chosen.valid ? (
            <a
              className="button button-secondary"
              href={reportExportUrl('queues', day)}
              download
              aria-label={`Download CSV of the queues report of ${day}`}
            >
              Download CSV
            </a>
          ) : null}
        </div>
        {chosen.valid ? (
          <QueryState query={queues} what="queues report">
            {({ items }) =>
              items.length === 0 ? (
                <p className="empty-state">No queue calls that day.</p>
              ) : (
                <QueueReportTable rows={items} />
              )
            }
          </QueryState>
        ) : null}
      </section>
      <section aria-labelledby={agentsTitle}>
        <div className="screen-toolbar">
          <h4 id={agentsTitle} className="subheading">
            Agents
          </h4>
          {chosen.valid ? (
            <a
              className="button button-secondary"
              href={reportExportUrl('agents', day)}
              download
              aria-label={`Download CSV of the agents report of ${day}`}
            >
              Download CSV
            </a>
          ) : null}
        </div>
        {chosen.valid ? (
          <QueryState query={agents} what="agents report">
            {({ items }) =>
              items.length === 0 ? (
                <p className="empty-state">No agent activity that day.</p>
              ) : (
                <AgentReportTable rows={items} />
              )
            }
          </QueryState>
        ) : null}
      </section>
    </div>
  );
}
