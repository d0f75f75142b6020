import type { QueueReportRow } from '../../../contracts/queue-reports';
import { formatClock } from '../../lib/format-time';
import { TableScroll } from '../../lib/table-scroll';

const clock = (seconds: number | null) => (seconds === null ? '—' : formatClock(seconds * 1000));
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

/** Each queue's day: calls offered, answered, abandoned, overflowed, service level, waits, handle time. */
export function QueueReportTable({ rows }: { rows: readonly QueueReportRow[] }) {
  return (
    <TableScroll label="Queues report table">
      <table className="data-table">
        <caption className="visually-hidden">Queues</caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Offered</th>
            <th scope="col">Answered</th>
            <th scope="col">Abandoned</th>
            <th scope="col">Overflowed</th>
            <th scope="col">Service level</th>
            <th scope="col">Average wait</th>
            <th scope="col">Longest wait</th>
            <th scope="col">Average handle</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.queueId ?? row.queue}>
              <th scope="row">{row.queue}</th>
              <td className="numbers">{row.offered}</td>
              <td className="numbers">{row.answered}</td>
              <td className="numbers">{row.abandoned}</td>
              <td className="numbers">{row.overflowed}</td>
              <td className="numbers">{percent(row.serviceLevel)}</td>
              <td className="numbers">{clock(row.averageWaitSeconds)}</td>
              <td className="numbers">{clock(row.longestWaitSeconds)}</td>
              <td className="numbers">{clock(row.averageHandleSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
