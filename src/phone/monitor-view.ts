import type { MonitorSessionView, MonitorTarget } from '../lib/monitor-link';
import type { MonitorInfo } from './sip/monitor-session';
import { MonitorState } from './sip/phone-state';

/** The operator's monitor session as the console shows it. */
export function monitorViewOf(info: MonitorInfo, target: MonitorTarget): MonitorSessionView {
  switch (info.state) {
    case MonitorState.Starting:
      return { status: 'starting', target, mode: info.mode };
    case MonitorState.Active:
      return {
        status: 'active',
        target,
        mode: info.mode,
        pendingMode: info.pendingMode,
        since: info.answeredAt ?? Date.now(),
        notice: info.notice,
      };
    case MonitorState.Ended:
      return {
        status: 'ended',
        target,
        reason: info.endReason ?? 'Monitoring ended.',
        refused: info.refused,
      };
  }
}
