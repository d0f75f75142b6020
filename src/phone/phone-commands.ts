import type { MonitorMode } from '../../contracts/monitor';
import type { MonitorTarget } from '../lib/monitor-link';
import type { DtmfTone } from './sip/dtmf-relay';

/** What the UI asks of the phone; the SIP side implements it (a fake in tests). */
export interface PhoneCommands {
  dial(target: string): void;
  answer(callId: string): void;
  decline(callId: string): void;
  hangUp(callId: string): void;
  setMuted(callId: string, muted: boolean): void;
  setHeld(callId: string, held: boolean): void;
  sendDtmf(callId: string, tone: DtmfTone): void;
  blindTransfer(callId: string, target: string): void;
  attendedTransfer(callId: string, toCallId: string): void;
  switchTo(callId: string): void;
  chooseMicrophone(deviceId: string | null): void;
  chooseSpeaker(deviceId: string | null): void;
  /** The ringtone's output; null: the same as the speaker. */
  chooseRinger(deviceId: string | null): void;
  /** Called from a click: lets the page play sound (the browser's autoplay policy). */
  enableSound(): void;
  retryNow(): void;
  /** Starts monitoring `target` (stopping any monitor session this phone runs first). */
  startMonitor(target: MonitorTarget, mode: MonitorMode): void;
  changeMonitorMode(mode: MonitorMode): void;
  stopMonitor(): void;
  /** Recording (absent where the phone cannot record: fakes). */
  startRecording?(callId: string): void;
  stopRecording?(callId: string): void;
  setRecordingPaused?(callId: string, paused: boolean): void;
}

/** Until the SIP side is attached (it loads as its own chunk), what the UI asks does nothing. */
export const notAttached: PhoneCommands = {
  dial: () => undefined,
  answer: () => undefined,
  decline: () => undefined,
  hangUp: () => undefined,
  setMuted: () => undefined,
  setHeld: () => undefined,
  sendDtmf: () => undefined,
  blindTransfer: () => undefined,
  attendedTransfer: () => undefined,
  switchTo: () => undefined,
  chooseMicrophone: () => undefined,
  chooseSpeaker: () => undefined,
  chooseRinger: () => undefined,
  enableSound: () => undefined,
  retryNow: () => undefined,
  startMonitor: () => undefined,
  changeMonitorMode: () => undefined,
  stopMonitor: () => undefined,
};
