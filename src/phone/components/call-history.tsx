import { useQuery } from '@tanstack/react-query';
import type { CallRecord } from '../../../contracts/calls';
import { usePhoneActions, useRegistration } from '../phone-store-context';
import { normaliseDialTarget } from '../sip/dial-target';
import { phoneCallQueries } from './call-history-queries';
import { formatClock } from '../../lib/format-time';

type CallHistoryProps = { userId: number; canCall: boolean };

const dispositionText: Record<string, string> = {
  answered: 'Answered',
  missed: 'Missed',
  busy: 'Busy',
  rejected: 'Declined',
  failed: 'Failed',
  refused: 'Refused',
};

/** "sip:agent3@switchboard.local" → "agent3"; a plain (or masked) number stays as it is. */
function partyNumber(value: string): string {
  return /^sips?:([^@;>]+)@/i.exec(value)?.[1] ?? value;
}

function describe(record: CallRecord, userId: number) {
  const outgoing = record.fromUserId === userId;
  const number = partyNumber(outgoing ? record.to : record.from);
  const name = outgoing ? record.toName : record.fromName;
  const started = new Date(record.startedAt);
  const duration =
    record.answeredAt && record.endedAt ? Date.parse(record.endedAt) - Date.parse(record.answeredAt) : null;
  return { outgoing, number, name, started, duration };
}

/** The person's recent calls with call-back. */
export function CallHistory({ userId, canCall }: CallHistoryProps) {
  const calls = useQuery(phoneCallQueries.mine(userId));
  const registration = useRegistration();
  const { dialRequested } = usePhoneActions();

  return (
    <section className="call-history" aria-labelledby="call-history-heading">
      <h3 id="call-history-heading">Recent calls</h3>
      {calls.isPending ? (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading your calls…
        </p>
      ) : calls.isError ? (
        <p className="panel-error" role="alert">
          {calls.error.message}
        </p>
      ) : calls.data.items.length === 0 ? (
        <p className="field-hint">No calls yet.</p>
      ) : (
        <ul className="history-list">
          {calls.data.items.map((record) => {
            const { outgoing, number, name, started, duration } = describe(record, userId);
            const target = normaliseDialTarget(number);
            const who = name ? `${name} (${number})` : number;
            return (
              <li key={record.id} className="history-item">
                <div>
                  <span className="history-peer">{who}</span>
                  <span className="history-meta">
                    {outgoing ? 'Outgoing' : 'Incoming'} ·{' '}
                    {record.disposition
                      ? (dispositionText[record.disposition] ?? record.disposition)
                      : 'In progress'}
                    {duration !== null ? ` · ${formatClock(duration)}` : ''} ·{' '}
                    <time dateTime={record.startedAt}>{started.toLocaleString()}</time>
                  </span>
                  {record.reason ? <span className="history-meta">{record.reason}</span> : null}
                </div>
                {canCall && target ? (
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    disabled={registration.status !== 'registered'}
                    onClick={() => dialRequested(target)}
                  >
                    Call back<span className="visually-hidden"> {who}</span>
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
