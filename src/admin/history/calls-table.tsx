import type { CallRecord, Disposition } from '../../../contracts/calls';
import { formatDateTime, formatDuration } from '../../lib/format-time';
import { TableScroll } from '../../lib/table-scroll';
import { CallDirectionCell } from './call-direction';
import { monitoringLine } from './monitoring-line';
import { RecordingCell } from './recording-cell';

export const dispositionLabels: Record<Disposition, string> = {
  answered: 'Answered',
  missed: 'Missed',
  busy: 'Busy',
  rejected: 'Rejected',
  failed: 'Failed',
  refused: 'Refused by policy',
  'no-media': 'No audio path',
};

function party(name: string | null, number: string) {
  return name ? (
    <>
      {name} <span className="muted party-number">{number}</span>
    </>
  ) : (
    number
  );
}

function talkTime(call: CallRecord): string {
  if (!call.answeredAt) return '—';
  if (!call.endedAt) return 'On the call';
  return formatDuration(Date.parse(call.endedAt) - Date.parse(call.answeredAt));
}

export function CallsTable({
  calls,
  canDeleteRecordings = false,
}: {
  calls: readonly CallRecord[];
  /** Admins delete recordings. */
  canDeleteRecordings?: boolean;
}) {
  return (
    <TableScroll label="Calls table">
      <table className="data-table calls-table">
        <caption className="visually-hidden">Call history</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Direction</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Profile</th>
            <th scope="col">Talk time</th>
            <th scope="col">Outcome</th>
            <th scope="col">Monitoring</th>
            <th scope="col">Recording</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.id}>
              <td>
                <time dateTime={call.startedAt}>{formatDateTime(call.startedAt)}</time>
              </td>
              <td>
                <CallDirectionCell call={call} />
              </td>
              <td>{party(call.fromName, call.from)}</td>
              <td>{party(call.toName, call.to)}</td>
              <td>{call.callerProfile ?? <span className="muted">None</span>}</td>
              <td className="numbers">{talkTime(call)}</td>
              <td>
                {call.disposition ? dispositionLabels[call.disposition] : 'In progress'}
                {call.reason ? <span className="muted">: {call.reason}</span> : null}
              </td>
              <td>
                {call.monitoring.length === 0 ? (
                  <span className="muted">None</span>
                ) : (
                  <ul className="plain-list">
                    {call.monitoring.map((session) => (
                      <li key={session.id}>{monitoringLine(session)}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <RecordingCell recordings={call.recordings} canDelete={canDeleteRecordings} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
