import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { MonitorMode } from '../../contracts/monitor';
import type { MonitorSessionView, MonitorTarget } from '../lib/monitor-link';
import { notAttached } from './phone-commands';
import type { PhoneCommands } from './phone-commands';
import type { CallQuality } from './media/call-quality';
import type { AudioDevices, DeviceOption } from './media/devices';
import type { RecordingView } from './call-recordings';
import type { CallInfo } from './sip/call-info';
import type { DtmfTone } from './sip/dtmf-relay';
import type { MonitorInfo } from './sip/monitor-session';
import { CallState, MonitorState } from './sip/phone-state';

/** The phone's connection as the screen shows it. */
export type Registration =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'registered' }
  | {
      status: 'reconnecting';
      nextAttemptAt: number;
      /** Which of several SIP servers the next try goes to (0 the first); absent with one server. */
      server?: { index: number; count: number };
    }
  | { status: 'failed'; reason: string }
  | { status: 'stopped' };

export type CallView = CallInfo & {
  /** Tones sent from the keypad during this call. */
  dtmfSent: string;
  /** Tones the other side sent by SIP INFO. */
  dtmfReceived: string;
  quality: CallQuality | null;
};

/** A call that just ended, kept on screen with its reason until dismissed or the next call. */
export type EndedCall = { id: string; peer: string; reason: string | null };

/** Someone monitoring one of this phone's calls (the agent's side). */
export type MonitoredBy = {
  /** The monitor session's id. */
  id: string;
  /** The id of the call being monitored. */
  callId: string;
  /** Who monitors, by name. */
  by: string;
  mode: MonitorMode;
};

/** What the operator sees when monitoring cannot start because the phone is not registered. */
export const PHONE_NOT_CONNECTED_FOR_MONITORING = 'Your phone is not connected; monitoring needs it.';

export type Devices = AudioDevices & {
  microphoneId: string | null;
  speakerId: string | null;
  /** Where the ringtone plays; null: the same as the speaker. */
  ringerId: string | null;
  /** False where the browser cannot route audio to a chosen speaker. */
  speakerSelectable: boolean;
};

export type PhoneActions = {
  // What happened on the SIP side.
  phoneAttached(commands: PhoneCommands): void;
  registrationChanged(registration: Registration): void;
  callChanged(call: CallInfo): void;
  dtmfReceived(callId: string, tone: string): void;
  qualityMeasured(callId: string, quality: CallQuality): void;
  micLevelMeasured(level: number): void;
  devicesListed(devices: AudioDevices, speakerSelectable: boolean): void;
  noticeRaised(sentence: string): void;
  /** The browser keeps the page silent until the person clicks on it (or no longer does). */
  soundBlockedChanged(blocked: boolean): void;
  /** This phone's own monitor session (the operator's side) changed. */
  monitorSessionChanged(view: MonitorSessionView): void;
  /** A monitor session on one of this phone's calls (the agent's side) changed. */
  monitoredChanged(monitor: MonitorInfo): void;
  /** A call's recording started, paused, fell behind, or ended (null). */
  recordingChanged(callId: string, view: RecordingView | null): void;
  recordRequested(callId: string): void;
  recordStopRequested(callId: string): void;
  recordPauseToggled(callId: string): void;
  // What the person did.
  dialRequested(target: string): void;
  answerRequested(callId: string): void;
  declineRequested(callId: string): void;
  hangUpRequested(callId: string): void;
  muteToggled(callId: string): void;
  holdToggled(callId: string): void;
  dtmfPressed(callId: string, tone: DtmfTone): void;
  blindTransferRequested(callId: string, target: string): void;
  attendedTransferRequested(callId: string, toCallId: string): void;
  callSelected(callId: string): void;
  microphoneChosen(deviceId: string | null): void;
  speakerChosen(deviceId: string | null): void;
  ringerChosen(deviceId: string | null): void;
  soundEnableRequested(): void;
  retryRequested(): void;
  endedCallDismissed(): void;
  noticeDismissed(): void;
  monitorStartRequested(target: MonitorTarget, mode: MonitorMode): void;
  monitorModeRequested(mode: MonitorMode): void;
  monitorStopRequested(): void;
  monitorDismissed(): void;
};

export type PhoneStoreState = {
  registration: Registration;
  /** Calls not yet ended, oldest first. */
  calls: CallView[];
  /** The call the controls act on. */
  activeCallId: string | null;
  lastEnded: EndedCall | null;
  devices: Devices;
  /** Microphone loudness, 0–1, while a call uses it. */
  micLevel: number;
  /** A sentence about something the person asked for that did not work. */
  notice: string | null;
  /** Sound is blocked until the person clicks on the page: calls would not ring. */
  soundBlocked: boolean;
  /** The monitor session this phone places (an operator's), or how the last one ended. */
  monitorSession: MonitorSessionView | null;
  /** Who monitors this phone's calls now (shown only where the profile says so). */
  monitoredBy: MonitoredBy[];
  /** This phone's recordings of its calls, by call id. */
  recordings: Record<string, RecordingView>;
  actions: PhoneActions;
};

export type PhoneStore = StoreApi<PhoneStoreState>;

function isLive(call: CallView): boolean {
  return call.state !== CallState.Ended;
}

/** The phone's client state: a plain store the SIP side writes to outside React. */
export function createPhoneStore(initial: Partial<Omit<PhoneStoreState, 'actions'>> = {}): PhoneStore {
  let commands = notAttached;
  return createStore<PhoneStoreState>()((set, get) => {
    const find = (callId: string) => get().calls.find((call) => call.id === callId);
    const patchCall = (callId: string, patch: (call: CallView) => Partial<CallView>) =>
      set((state) => ({
        calls: state.calls.map((call) => (call.id === callId ? { ...call, ...patch(call) } : call)),
      }));

    return {
      registration: { status: 'idle' },
      calls: [],
      activeCallId: null,
      lastEnded: null,
      devices: {
        microphones: [],
        speakers: [],
        microphoneId: null,
        speakerId: null,
        ringerId: null,
        speakerSelectable: false,
      },
      micLevel: 0,
      notice: null,
      soundBlocked: false,
      monitorSession: null,
      monitoredBy: [],
      recordings: {},
      ...initial,
      actions: {
        phoneAttached(next) {
          commands = next;
        },
        registrationChanged(registration) {
          set({ registration });
        },
        callChanged(info) {
          set((state) => {
            const existing = state.calls.find((call) => call.id === info.id);
            if (info.state === CallState.Ended) {
              const calls = state.calls.filter((call) => call.id !== info.id);
              const activeCallId =
                state.activeCallId === info.id
                  ? (calls.find((call) => call.state === CallState.Established && !call.held)?.id ??
                    calls[0]?.id ??
                    null)
                  : state.activeCallId;
              return {
                calls,
                activeCallId,
                lastEnded: { id: info.id, peer: info.peerName ?? info.peerNumber, reason: info.endReason },
                micLevel: calls.length === 0 ? 0 : state.micLevel,
              };
            }
            const view: CallView = existing
              ? { ...existing, ...info }
              : { ...info, dtmfSent: '', dtmfReceived: '', quality: null };
            const calls = existing
              ? state.calls.map((call) => (call.id === info.id ? view : call))
              : [...state.calls, view];
            const current = state.activeCallId
              ? calls.find((call) => call.id === state.activeCallId)
              : undefined;
            let activeCallId = state.activeCallId;
            if (!current || !isLive(current)) activeCallId = info.id;
            else if (info.direction === 'outgoing' && !existing) activeCallId = info.id;
            else if (info.replacesCallId && info.replacesCallId === state.activeCallId)
              activeCallId = info.id;
            return { calls, activeCallId, lastEnded: existing ? state.lastEnded : null };
          });
        },
        dtmfReceived(callId, tone) {
          patchCall(callId, (call) => ({ dtmfReceived: call.dtmfReceived + tone }));
        },
        qualityMeasured(callId, quality) {
          patchCall(callId, () => ({ quality }));
        },
        micLevelMeasured(level) {
          if (Math.abs(level - get().micLevel) >= 0.01) set({ micLevel: level });
        },
        devicesListed(devices, speakerSelectable) {
          set((state) => ({
            devices: {
              ...state.devices,
              ...devices,
              speakerSelectable,
              microphoneId: devices.microphones.some(
                (device: DeviceOption) => device.id === state.devices.microphoneId,
              )
                ? state.devices.microphoneId
                : null,
              speakerId: devices.speakers.some((device) => device.id === state.devices.speakerId)
                ? state.devices.speakerId
                : null,
              ringerId: devices.speakers.some((device) => device.id === state.devices.ringerId)
                ? state.devices.ringerId
                : null,
            },
          }));
        },
        recordingChanged(callId, view) {
          set((state) => {
            const { [callId]: _old, ...others } = state.recordings;
            return { recordings: view ? { ...others, [callId]: view } : others };
          });
        },
        recordRequested(callId) {
          commands.startRecording?.(callId);
        },
        recordStopRequested(callId) {
          commands.stopRecording?.(callId);
        },
        recordPauseToggled(callId) {
          const view = get().recordings[callId];
          if (view) commands.setRecordingPaused?.(callId, view.status !== 'paused');
        },
        noticeRaised(sentence) {
          set({ notice: sentence });
        },
        soundBlockedChanged(blocked) {
          if (get().soundBlocked !== blocked) set({ soundBlocked: blocked });
        },
        monitorSessionChanged(view) {
          set({ monitorSession: view });
        },
        monitoredChanged(monitor) {
          if (monitor.side !== 'monitored' || monitor.callId === null) return;
          const callId = monitor.callId;
          set((state) => {
            const others = state.monitoredBy.filter((entry) => entry.id !== monitor.id);
            if (monitor.state === MonitorState.Ended) return { monitoredBy: others };
            const entry: MonitoredBy = { id: monitor.id, callId, by: monitor.peer, mode: monitor.mode };
            const existing = state.monitoredBy.findIndex((known) => known.id === monitor.id);
            if (existing === -1) return { monitoredBy: [...others, entry] };
            return {
              monitoredBy: state.monitoredBy.map((known, index) => (index === existing ? entry : known)),
            };
          });
        },
        dialRequested(target) {
          set({ notice: null, lastEnded: null });
          commands.dial(target);
        },
        answerRequested(callId) {
          set({ activeCallId: callId });
          commands.answer(callId);
        },
        declineRequested(callId) {
          commands.decline(callId);
        },
        hangUpRequested(callId) {
          commands.hangUp(callId);
        },
        muteToggled(callId) {
          const call = find(callId);
          if (call) commands.setMuted(callId, !call.muted);
        },
        holdToggled(callId) {
          const call = find(callId);
          if (call) commands.setHeld(callId, !call.held);
        },
        dtmfPressed(callId, tone) {
          patchCall(callId, (call) => ({ dtmfSent: (call.dtmfSent + tone).slice(-32) }));
          commands.sendDtmf(callId, tone);
        },
        blindTransferRequested(callId, target) {
          set({ notice: null });
          commands.blindTransfer(callId, target);
        },
        attendedTransferRequested(callId, toCallId) {
          set({ notice: null });
          commands.attendedTransfer(callId, toCallId);
        },
        callSelected(callId) {
          if (get().activeCallId === callId) return;
          set({ activeCallId: callId });
          commands.switchTo(callId);
        },
        microphoneChosen(deviceId) {
          set((state) => ({ devices: { ...state.devices, microphoneId: deviceId } }));
          commands.chooseMicrophone(deviceId);
        },
        speakerChosen(deviceId) {
          set((state) => ({ devices: { ...state.devices, speakerId: deviceId } }));
          commands.chooseSpeaker(deviceId);
        },
        ringerChosen(deviceId) {
          set((state) => ({ devices: { ...state.devices, ringerId: deviceId } }));
          commands.chooseRinger(deviceId);
        },
        soundEnableRequested() {
          commands.enableSound();
        },
        retryRequested() {
          commands.retryNow();
        },
        endedCallDismissed() {
          set({ lastEnded: null });
        },
        noticeDismissed() {
          set({ notice: null });
        },
        monitorStartRequested(target, mode) {
          if (get().registration.status !== 'registered') {
            set({
              monitorSession: {
                status: 'ended',
                target,
                reason: PHONE_NOT_CONNECTED_FOR_MONITORING,
                refused: true,
              },
            });
            return;
          }
          set({ monitorSession: { status: 'starting', target, mode } });
          commands.startMonitor(target, mode);
        },
        monitorModeRequested(mode) {
          const session = get().monitorSession;
          if (session?.status !== 'active') return;
          if (session.pendingMode === null && session.mode === mode) return;
          set({ monitorSession: { ...session, pendingMode: mode, notice: null } });
          commands.changeMonitorMode(mode);
        },
        monitorStopRequested() {
          const status = get().monitorSession?.status;
          if (status === 'starting' || status === 'active') commands.stopMonitor();
        },
        monitorDismissed() {
          if (get().monitorSession?.status === 'ended') set({ monitorSession: null });
        },
      },
    };
  });
}
