import { useId } from 'react';
import type { BoardMember, LiveCall, MonitorMode } from '../../../contracts/monitor';
import { useMonitorLink, useMonitorSession } from '../../lib/monitor-link';
import { asSentence } from '../../lib/sentence';
import { peerWithNumber } from './member-state';
import { modeDoing, modeLabels } from './monitor-modes';

export const NO_PHONE = 'Your phone is not available here.';

type MonitorControlsProps = {
  member: BoardMember;
  call: LiveCall;
  /** The modes the operator's profile allows; the others are not shown at all. */
  modes: readonly MonitorMode[];
};

/**
 * Listen, Whisper and Barge for one answered call. A mode that cannot be used on this call
 * now is disabled, with the reason beside it. On the call the operator already monitors,
 * another mode switches the running session instead of starting a new one.
 */
export function MonitorControls({ member, call, modes }: MonitorControlsProps) {
  const link = useMonitorLink();
  const session = useMonitorSession();
  const reasonId = useId();
  if (modes.length === 0) return null;

  const running = session?.status === 'active' && session.target.dialogId === call.dialogId ? session : null;

  function reasonFor(mode: MonitorMode): string | null {
    if (!link) return NO_PHONE;
    const check = call.checks[mode];
    if (check) return asSentence(check);
    if (running?.mode === mode) return `You are ${modeDoing[mode]} on this call.`;
    return null;
  }

  const reasons = modes.map(reasonFor);
  const distinct = [...new Set(reasons.filter((reason): reason is string => reason !== null))];
  const idOf = (reason: string) => `${reasonId}-${distinct.indexOf(reason)}`;

  function choose(mode: MonitorMode) {
    if (!link) return;
    if (running) {
      link.changeMode(mode);
      return;
    }
    link.start(
      {
        agentUserId: member.userId,
        agentName: member.displayName,
        agentExtension: member.extension,
        dialogId: call.dialogId,
      },
      mode,
    );
  }

  return (
    <div
      className="monitor-controls"
      role="group"
      aria-label={`Monitor ${member.displayName}'s call with ${peerWithNumber(call.peer)}`}
    >
      <div className="monitor-buttons">
        {modes.map((mode, index) => {
          const reason = reasons[index] ?? null;
          return (
            <button
              key={mode}
              type="button"
              className="button button-secondary button-small"
              disabled={reason !== null}
              aria-describedby={reason === null ? undefined : idOf(reason)}
              onClick={() => choose(mode)}
            >
              {modeLabels[mode]}
            </button>
          );
        })}
      </div>
      {distinct.map((reason) => (
        <p key={reason} id={idOf(reason)} className="monitor-reason">
          {reason}
        </p>
      ))}
    </div>
  );
}
