import type { MonitorInfo } from './monitor-session';
import type { CallInfo, CallMedia } from './phone-call';
import type { PhoneState } from './phone-state';
import type { PhoneStatusDetail } from './phone-user-agent-options';

/** Optional callbacks, as sip.js's SimpleUser has them: how the phone tells the app what happened. */
export interface PhoneUserAgentDelegate {
  onStateChange?(state: PhoneState, detail: PhoneStatusDetail): void;
  /** A call appeared or changed (including its last change, to Ended). */
  onCallChange?(call: CallInfo): void;
  onCallMedia?(callId: string, media: CallMedia): void;
  onDtmfReceived?(callId: string, tone: string): void;
  /**
   * A monitor session changed (never for its start: `startMonitor` returns its id). Monitor
   * sessions are never calls: they do not show up in `onCallChange`.
   */
  onMonitorChange?(monitor: MonitorInfo): void;
  /** A monitor session was answered: its media (reported before the change to Active). */
  onMonitorMedia?(monitor: MonitorInfo, media: CallMedia): void;
}
