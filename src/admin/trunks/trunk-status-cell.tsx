import type { TrunkStatus } from '../../../contracts/trunks';
import { formatDateTime } from '../../lib/format-time';
import { lastErrorLine, registrationLine, statusLine } from './trunk-labels';

/** The keep-alive's verdict, the registration of a registering trunk and the last problem. */
export function TrunkStatusCell({ status }: { status: TrunkStatus }) {
  const registration = registrationLine(status);
  const lastError = lastErrorLine(status);
  return (
    <div className={`trunk-status trunk-status-${status.state}`}>
      <span className="trunk-status-line">
        <span className="trunk-status-dot" aria-hidden="true" />
        {statusLine(status)}
      </span>
      {registration ? <span className="muted">{registration}</span> : null}
      {lastError ? <span className="muted">{lastError}</span> : null}
      {status.checkedAt ? (
        <span className="muted">
          Checked <time dateTime={status.checkedAt}>{formatDateTime(status.checkedAt)}</time>
        </span>
      ) : null}
    </div>
  );
}
