import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { daySchema } from '../../../contracts/agent-states';
import { asSentence } from '../../lib/sentence';
import { TextField } from '../../lib/text-field';
import { QueryState } from '../query-state';
import { AgentReportTable } from './agent-report-table';
import { QueueReportTable } from './queue-report-table';
import { reportExportUrl, reportQueries } from './report-queries';

/** Today in the browser's calendar, as a date input holds it. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The per-queue and per-agent figures of a chosen day, each with its CSV. */
export function ReportsScreen() {
  const [date, setDate] = useState(today);
  const checked = daySchema.safeParse(date);
  const error = checked.success ? undefined : asSentence(checked.error.issues[0]?.message ?? 'Choose a day');
  const day = checked.success ? date : '';
  const queues = useQuery({ ...reportQueries.queues(day), enabled: checked.success });
  const agents = useQuery({ ...reportQueries.agents(day), enabled: checked.success });
  const queuesTitle = useId();
  const agentsTitle = useId();

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Choose the day">
        <TextField
          label="Day"
          type="date"
          value={date}
          onChange={(event) => setDate(event.target.value)}
          error={error}
        />
      </div>
      <section aria-labelledby={queuesTitle}>
        <div className="screen-toolbar">
          <h4 id={queuesTitle} className="subheading">
            Queues
          </h4>
          {checked.success ? (
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
        {checked.success ? (
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
          {checked.success ? (
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
        {checked.success ? (
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
