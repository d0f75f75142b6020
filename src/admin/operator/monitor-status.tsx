import { useId, useRef } from 'react';
import type { MonitorMode } from '../../../contracts/monitor';
import { useMonitorLink, useMonitorSession } from '../../lib/monitor-link';
import type { MonitorSessionView } from '../../lib/monitor-link';
import { asSentence } from '../../lib/sentence';
import { activeSentence, modeLabels, startingSentence } from './monitor-modes';
import { NO_PHONE } from './monitor-controls';
import { formatClock } from '../../lib/format-time';
import { useNow } from '../../lib/use-now';

type MonitorStatusProps = {
  /** The modes the operator's profile allows: the mode switch offers these. */
  modes: readonly MonitorMode[];
};

function sessionSentence(session: MonitorSessionView | null, hasPhone: boolean): string {
  if (!hasPhone) return NO_PHONE;
  if (!session) return 'You are not monitoring a call.';
  const name = session.target.agentName;
  switch (session.status) {
    case 'starting':
      return startingSentence(session.mode, name);
    case 'active':
      return activeSentence(session.mode, name);
    case 'ended':
      return session.refused
        ? `Could not monitor ${name}'s call: ${asSentence(session.reason)}`
        : `Monitoring ${name}'s call ended: ${asSentence(session.reason)}`;
  }
}

/**
 * The operator's monitor session, at the top of the panel: what it is doing (a status
 * region), how long, the mode switch and Stop; a refused or ended session's reason until
 * dismissed. The clock sits outside the status region so it is not read out every second.
 */
export function MonitorStatus({ modes }: MonitorStatusProps) {
  const link = useMonitorLink();
  const session = useMonitorSession();
  const now = useNow(session?.status === 'active');
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The control that was pressed goes away: keep focus in the panel.
  function thenFocusHeading(action: () => void) {
    action();
    headingRef.current?.focus();
  }

  const active = session?.status === 'active' ? session : null;
  const switchModes = active && !modes.includes(active.mode) ? [...modes, active.mode] : modes;

  return (
    <section
      className={`monitor-session monitor-session-${session?.status ?? 'idle'}`}
      aria-labelledby={titleId}
    >
      <h4 id={titleId} ref={headingRef} tabIndex={-1} className="subheading">
        Monitor session
      </h4>
      <div className="monitor-session-summary">
        <div role="status" className="monitor-session-text">
          <p>{sessionSentence(session, link !== null)}</p>
          {active?.pendingMode ? (
            <p className="muted">Switching to {modeLabels[active.pendingMode]}…</p>
          ) : null}
          {active?.notice ? <p className="monitor-notice">{asSentence(active.notice)}</p> : null}
        </div>
        {active ? (
          <p className="monitor-clock numbers">
            <span aria-hidden="true">— </span>
            <span className="visually-hidden">Monitoring for </span>
            <span role="timer">{formatClock(now - active.since)}</span>
          </p>
        ) : null}
      </div>
      {link && session ? (
        <div className="form-actions">
          {active ? (
            <div className="mode-switch" role="group" aria-label="Monitor mode">
              {switchModes.map((mode) => (
                <button
                  key={mode}
                  type="button"
                  className="button button-secondary button-small mode-button"
                  aria-pressed={mode === active.mode}
                  data-pending={mode === active.pendingMode || undefined}
                  onClick={() => {
                    if (mode !== active.mode && mode !== active.pendingMode) link.changeMode(mode);
                  }}
                >
                  {modeLabels[mode]}
                </button>
              ))}
            </div>
          ) : null}
          {session.status === 'ended' ? (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => thenFocusHeading(() => link.dismiss())}
            >
              Dismiss
            </button>
          ) : (
            <button
              type="button"
              className="button button-secondary button-small button-danger-text"
              onClick={() => thenFocusHeading(() => link.stop())}
            >
              Stop
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
