import type { MonitorMode } from '../../../contracts/monitor';
import type { MonitorSessionView } from '../../lib/monitor-link';
import { useOwnMonitorSession, usePhoneActions } from '../phone-store-context';
import { formatClock } from '../../lib/format-time';
import { useNow } from '../../lib/use-now';

const modeNames: Record<MonitorMode, string> = { listen: 'listen', whisper: 'whisper', barge: 'barge' };

function starting(mode: MonitorMode, name: string): string {
  switch (mode) {
    case 'listen':
      return `Starting to listen to ${name}…`;
    case 'whisper':
      return `Starting to whisper to ${name}…`;
    case 'barge':
      return `Barging in on ${name}’s call…`;
  }
}

function running(mode: MonitorMode, name: string): string {
  switch (mode) {
    case 'listen':
      return `Listening to ${name}`;
    case 'whisper':
      return `Whispering to ${name}`;
    case 'barge':
      return `Barged in on ${name}’s call`;
  }
}

function headline(session: MonitorSessionView): string {
  const name = session.target.agentName;
  switch (session.status) {
    case 'starting':
      return starting(session.mode, name);
    case 'active':
      return running(session.mode, name);
    case 'ended':
      return session.refused
        ? `Could not monitor ${name}: ${session.reason}`
        : `Monitoring ${name} ended: ${session.reason}`;
  }
}

/**
 * The operator's own monitor session in one line, always in the phone area (the console may show
 * another section): what it does, for how long, and Stop. Never a call: not in the calls list.
 */
export function MonitorSessionLine() {
  const session = useOwnMonitorSession();
  const { monitorStopRequested, monitorDismissed } = usePhoneActions();
  const now = useNow(session?.status === 'active');
  if (!session) return null;
  const active = session.status === 'active' ? session : null;

  return (
    <section className="monitor-line" aria-label="Monitoring" data-status={session.status}>
      <div role="status" className="monitor-line-text">
        <p>
          {headline(session)}
          {active ? (
            <>
              {' — '}
              <span role="timer">{formatClock(now - active.since)}</span>
            </>
          ) : null}
        </p>
        {active?.pendingMode ? (
          <p className="field-hint">Switching to {modeNames[active.pendingMode]}…</p>
        ) : null}
        {active?.notice ? <p className="monitor-line-notice">{active.notice}</p> : null}
      </div>
      {session.status === 'ended' ? (
        <button type="button" className="button button-secondary button-small" onClick={monitorDismissed}>
          Dismiss
        </button>
      ) : (
        <button type="button" className="button button-danger button-small" onClick={monitorStopRequested}>
          Stop monitoring
        </button>
      )}
    </section>
  );
}
