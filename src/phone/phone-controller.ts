import type { SipCredentials } from '../../contracts/sip';
import { measureCallQuality } from './media/call-quality';
import type { QualityCounters } from './media/call-quality';
import { canChooseSpeaker, listAudioDevices, watchAudioDevices } from './media/devices';
import { MicrophoneMixer } from './media/microphone-mixer';
import type { InputSource } from './media/microphone-mixer';
import { RemoteAudio } from './media/remote-audio';
import { RingerOutput } from './media/ringer-output';
import { Ringtone } from './media/ringtone';
import { canPlaySound } from './media/sound-permission';
import { CallNotifications } from './call-notifications';
import { CallRecordings } from './call-recordings';
import type { RecordingMode } from '../../contracts/recordings';
import { callCommands } from './call-commands';
import type { CallCommands } from './call-commands';
import { MonitorAudio } from './monitor-audio';
import type { MonitorCommands } from './monitor-audio';
import type { PhoneCommands } from './phone-commands';
import type { PhoneStore } from './phone-store';
import { registrationOf } from './registration-view';
import type { CallInfo } from './sip/call-info';
import type { CallMedia } from './sip/session-media';
import { CallState } from './sip/phone-state';
import { PhoneUserAgent } from './sip/phone-user-agent';
import type { PhoneUserAgentOptions } from './sip/phone-user-agent-options';

export type PhoneControllerOptions = {
  store: PhoneStore;
  origin: string;
  fetchCredentials: () => Promise<SipCredentials>;
  /** The profile's `auto_answer`: a call that arrives while idle is answered at once. */
  autoAnswer: boolean;
  input?: InputSource;
  dtmfMode?: PhoneUserAgentOptions['dtmfMode'];
  /** The profile's call recording and its notice tone. */
  recording?: { mode: RecordingMode; notice: boolean };
};

const QUALITY_INTERVAL_MS = 2_000;
const LEVEL_INTERVAL_MS = 100;

/**
 * Runs the phone for a signed-in person: the SIP user agent, the microphone and speaker, the
 * ringtone and notifications, and the measurements, all written to the phone store.
 */
export class PhoneController implements Omit<PhoneCommands, keyof CallCommands | keyof MonitorCommands> {
  private readonly store: PhoneStore;
  private readonly options: PhoneControllerOptions;
  private readonly phone: PhoneUserAgent;
  /** What the store asks of calls goes to the user agent without passing through here. */
  private readonly callCommands: CallCommands;
  private audioContext: AudioContext | null = null;
  private readonly mixer: MicrophoneMixer;
  private readonly remoteAudio = new RemoteAudio();
  private readonly ringer = new RingerOutput();
  private readonly ringtone: Ringtone;
  private speakerId: string | null = null;
  private ringerId: string | null = null;
  private readonly peerConnections = new Map<string, RTCPeerConnection>();
  private readonly counters = new Map<string, QualityCounters>();
  private readonly notifications: CallNotifications;
  private qualityTimer: ReturnType<typeof setInterval> | undefined;
  private levelTimer: ReturnType<typeof setInterval> | undefined;
  private readonly cleanups: (() => void)[] = [];
  private readonly calls = new Map<string, CallInfo>();
  private readonly callMedia = new Map<string, CallMedia>();
  private readonly monitoring: MonitorAudio;
  private readonly recordings: CallRecordings;

  constructor(options: PhoneControllerOptions) {
    this.options = options;
    this.store = options.store;
    const context = () => this.context();
    this.mixer = new MicrophoneMixer({ context, source: options.input ?? { kind: 'microphone' } });
    this.ringtone = new Ringtone(context, this.ringer);
    this.notifications = new CallNotifications({
      answer: (callId) => this.callCommands.answer(callId),
      decline: (callId) => this.callCommands.decline(callId),
    });
    const actions = this.store.getState().actions;
    this.recordings = new CallRecordings({
      mode: options.recording?.mode ?? 'off',
      notice: options.recording?.notice ?? false,
      context,
      addToSend: (peerConnection, node) => this.mixer.addToSend(peerConnection, node),
      changed: (callId, view) => actions.recordingChanged(callId, view),
      tell: (sentence) => actions.noticeRaised(sentence),
    });
    this.phone = new PhoneUserAgent({
      origin: options.origin,
      fetchCredentials: options.fetchCredentials,
      localMedia: this.mixer,
      ...(options.dtmfMode ? { dtmfMode: options.dtmfMode } : {}),
      delegate: {
        onStateChange: (state, detail) => actions.registrationChanged(registrationOf(state, detail)),
        onCallChange: (call) => this.onCallChange(call),
        onCallMedia: (callId, media) => {
          this.peerConnections.set(callId, media.peerConnection);
          this.callMedia.set(callId, media);
          this.remoteAudio.play(callId, media.remoteStream);
          const call = this.calls.get(callId);
          if (call?.state === CallState.Established)
            this.recordings.answered(callId, call.sipCallId ?? null, media);
          void this.refreshDevices();
        },
        onDtmfReceived: (callId, tone) => actions.dtmfReceived(callId, tone),
        onMonitorChange: (monitor) => this.monitoring.changed(monitor),
        onMonitorMedia: (monitor, media) => this.monitoring.media(monitor, media),
      },
    });
    const tell = (problem: unknown) => this.tell(problem);
    this.callCommands = callCommands(this.phone, tell);
    this.monitoring = new MonitorAudio({
      phone: this.phone,
      actions: () => this.store.getState().actions,
      remoteAudio: this.remoteAudio,
      mixer: this.mixer,
      context,
      callMedia: (callId) => this.callMedia.get(callId),
      tell,
    });
    actions.phoneAttached({
      ...this.callCommands,
      chooseMicrophone: (deviceId) => this.chooseMicrophone(deviceId),
      chooseSpeaker: (deviceId) => this.chooseSpeaker(deviceId),
      chooseRinger: (deviceId) => this.chooseRinger(deviceId),
      enableSound: () => this.enableSound(),
      startMonitor: (target, mode) => this.monitoring.startMonitor(target, mode),
      changeMonitorMode: (mode) => this.monitoring.changeMonitorMode(mode),
      stopMonitor: () => this.monitoring.stopMonitor(),
      startRecording: (callId) => this.startRecording(callId),
      stopRecording: (callId) => this.stopRecording(callId),
      setRecordingPaused: (callId, paused) => this.setRecordingPaused(callId, paused),
    });
  }

  private context(): AudioContext {
    if (!this.audioContext) this.audioContext = new AudioContext();
    if (this.audioContext.state === 'suspended') void this.audioContext.resume().catch(() => undefined);
    return this.audioContext;
  }

  start(): void {
    const networkChanged = () => this.phone.networkChanged();
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    const leave = () => void this.phone.stop();
    // Browsers let audio start only after the person did something on the page.
    const wake = () => {
      if (this.audioContext?.state === 'suspended') void this.audioContext.resume().catch(() => undefined);
      if (this.store.getState().soundBlocked) void this.checkSound();
    };
    const visible = () => {
      if (document.visibilityState === 'visible') this.closeNotifications();
    };
    window.addEventListener('online', networkChanged);
    connection?.addEventListener('change', networkChanged);
    window.addEventListener('pagehide', leave);
    document.addEventListener('pointerdown', wake, true);
    document.addEventListener('keydown', wake, true);
    document.addEventListener('visibilitychange', visible);
    this.cleanups.push(
      () => window.removeEventListener('online', networkChanged),
      () => connection?.removeEventListener('change', networkChanged),
      () => window.removeEventListener('pagehide', leave),
      () => document.removeEventListener('pointerdown', wake, true),
      () => document.removeEventListener('keydown', wake, true),
      () => document.removeEventListener('visibilitychange', visible),
      watchAudioDevices(() => void this.refreshDevices()),
    );
    void this.refreshDevices();
    void this.checkSound();
    void this.phone.start();
  }

  /** Tells the screen whether the browser would keep a ringing call silent. */
  private async checkSound(): Promise<void> {
    const allowed = await canPlaySound().catch(() => true);
    this.store.getState().actions.soundBlockedChanged(!allowed);
  }

  /** Un-registers and releases everything (sign-out, or the phone panel goes away). */
  async stop(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stopTimers();
    this.ringtone.stop();
    this.notifications.dispose();
    await this.recordings.stopAll();
    await this.phone.stop();
    this.monitoring.dispose();
    this.remoteAudio.dispose();
    this.mixer.dispose();
    const context = this.audioContext;
    this.audioContext = null;
    if (context) await context.close().catch(() => undefined);
  }

  private async refreshDevices(): Promise<void> {
    try {
      this.store.getState().actions.devicesListed(await listAudioDevices(), canChooseSpeaker());
    } catch {
      // No device list: the pickers stay on the defaults.
    }
  }

  private liveCalls(): CallInfo[] {
    return [...this.calls.values()].filter((call) => call.state !== CallState.Ended);
  }

  private onCallChange(call: CallInfo): void {
    const previous = this.calls.get(call.id);
    const actions = this.store.getState().actions;
    if (call.state === CallState.Ended) {
      void this.recordings.stop(call.id);
      this.calls.delete(call.id);
      this.peerConnections.delete(call.id);
      this.callMedia.delete(call.id);
      // Its monitor sessions end too (the SIP side sends their BYEs): unmix at once.
      this.monitoring.callEnded(call.id);
      this.counters.delete(call.id);
      this.remoteAudio.stop(call.id);
      this.closeNotification(call.id);
    } else {
      this.calls.set(call.id, call);
      const media = this.callMedia.get(call.id);
      if (call.state === CallState.Established && previous?.state !== CallState.Established && media)
        this.recordings.answered(call.id, call.sipCallId ?? null, media);
    }
    actions.callChanged(call);
    if (!previous && call.state === CallState.Incoming) this.onIncoming(call);
    this.updateRinging();
    this.updateTimers();
  }

  private onIncoming(call: CallInfo): void {
    const others = this.liveCalls().filter((other) => other.id !== call.id);
    if (call.replacesCallId) return;
    if (this.options.autoAnswer && others.length === 0) {
      // Nothing to put on hold: answered in this same turn, so the call never shows (or rings) as
      // incoming and the answer starts before the screen renders.
      this.phone.answer(call.id).catch((error: unknown) => this.tell(error));
      return;
    }
    this.notify(call);
  }

  private updateRinging(): void {
    const live = this.liveCalls();
    const ringing = live.some((call) => call.state === CallState.Incoming);
    if (!ringing) this.ringtone.stop();
    else this.ringtone.start(live.some((call) => call.state !== CallState.Incoming) ? 'waiting' : 'ring');
  }

  private notify(call: CallInfo): void {
    void this.notifications.show(call).catch(() => undefined);
  }

  private closeNotification(callId: string): void {
    this.notifications.close(callId);
  }

  private closeNotifications(): void {
    this.notifications.closeAll();
  }

  private updateTimers(): void {
    const live = this.liveCalls();
    if (live.length === 0) {
      this.stopTimers();
      return;
    }
    this.qualityTimer ??= setInterval(() => void this.measureQuality(), QUALITY_INTERVAL_MS);
    this.levelTimer ??= setInterval(
      () => this.store.getState().actions.micLevelMeasured(this.mixer.level()),
      LEVEL_INTERVAL_MS,
    );
  }

  private stopTimers(): void {
    if (this.qualityTimer !== undefined) clearInterval(this.qualityTimer);
    if (this.levelTimer !== undefined) clearInterval(this.levelTimer);
    this.qualityTimer = undefined;
    this.levelTimer = undefined;
  }

  private async measureQuality(): Promise<void> {
    const actions = this.store.getState().actions;
    await Promise.all(
      [...this.peerConnections].map(async ([callId, peerConnection]) => {
        const measured = await measureCallQuality(peerConnection, this.counters.get(callId) ?? null).catch(
          () => null,
        );
        if (!measured || !this.calls.has(callId)) return;
        this.counters.set(callId, measured.counters);
        actions.qualityMeasured(callId, measured.quality);
      }),
    );
  }

  private tell(error: unknown): void {
    this.store.getState().actions.noticeRaised(error instanceof Error ? error.message : String(error));
  }

  startRecording(callId: string): void {
    const call = this.calls.get(callId);
    const media = this.callMedia.get(callId);
    if (!call || !media || call.state !== CallState.Established) {
      this.tell('Only an answered call can be recorded.');
      return;
    }
    void this.recordings.start(callId, call.sipCallId ?? null, media);
  }

  stopRecording(callId: string): void {
    if (this.recordings.mode === 'always') {
      this.tell(
        'Your profile records every call; pause the recording instead while payment details are given.',
      );
      return;
    }
    void this.recordings.stop(callId);
  }

  setRecordingPaused(callId: string, paused: boolean): void {
    void this.recordings.setPaused(callId, paused);
  }

  chooseMicrophone(deviceId: string | null): void {
    this.mixer
      .switchMicrophone(deviceId)
      .then(() => this.phone.refreshTracks())
      .catch(() => this.tell('That microphone could not be opened.'));
  }

  chooseSpeaker(deviceId: string | null): void {
    this.speakerId = deviceId;
    void this.remoteAudio.setSpeaker(deviceId);
    if (this.ringerId === null) void this.ringer.setSink(deviceId);
    const context = this.audioContext as
      (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | null;
    void context?.setSinkId?.(deviceId ?? '').catch(() => undefined);
  }

  chooseRinger(deviceId: string | null): void {
    this.ringerId = deviceId;
    void this.ringer.setSink(deviceId ?? this.speakerId);
  }

  enableSound(): void {
    // Called from the click: the AudioContext may start now, and the page may play sound.
    this.context();
    void this.checkSound();
  }
}
