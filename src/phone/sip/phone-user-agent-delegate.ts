import type { MonitorInfo } from './monitor-session';
import type { CallInfo } from './call-info';
import type { CallMedia } from './session-media';
import type { PhoneState } from './phone-state';

/** What the phone's state comes with: why it failed, or when it tries again and where. */
export type PhoneStatusDetail = {
  /** Why the phone failed, as a sentence (Failed); otherwise null. */
  reason: string | null;
  /** When the next connection attempt starts, ms since the epoch (Reconnecting); otherwise null. */
  nextAttemptAt: number | null;
  /**
   * Which of the edges the phone was given it connects to (0 the first) and how many there are;
   * absent from details where it does not matter (stopped, failed before any try).
   */
  edge?: { index: number; count: number };
};

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
