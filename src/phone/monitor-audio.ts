import type { MonitorMode } from '../../contracts/monitor';
import type { MonitorTarget } from '../lib/monitor-link';
import type { MicrophoneMixer } from './media/microphone-mixer';
import { MonitorMix } from './media/monitor-mix';
import type { RemoteAudio } from './media/remote-audio';
import { monitorViewOf } from './monitor-view';
import type { PhoneCommands } from './phone-commands';
import type { PhoneActions } from './phone-store';
import type { MonitorInfo } from './sip/monitor-session';
import type { CallMedia } from './sip/session-media';
import { MonitorState } from './sip/phone-state';
import type { PhoneUserAgent } from './sip/phone-user-agent';

/** What monitoring needs from the phone around it. */
export type MonitorAudioOptions = {
  phone: PhoneUserAgent;
  actions: () => PhoneActions;
  remoteAudio: RemoteAudio;
  mixer: MicrophoneMixer;
  context: () => AudioContext;
  /** The media of one of this phone's calls, while it has some. */
  callMedia: (callId: string) => CallMedia | undefined;
  tell: (problem: unknown) => void;
};

/** The commands of the operator's side of monitoring. */
export type MonitorCommands = Pick<PhoneCommands, 'startMonitor' | 'changeMonitorMode' | 'stopMonitor'>;

/**
 * Monitoring on this phone, both sides: the operator's own monitor session (started, switched,
 * stopped, heard like a call, shown in the console) and the monitor sessions on this phone's
 * calls (the agent's side: the operator's voice mixed toward the customer and the agent as the
 * mode says, and the call's audio sent to the operator).
 */
export class MonitorAudio implements MonitorCommands {
  private readonly options: MonitorAudioOptions;
  /** The monitor session this phone places (the operator's side). */
  private own: { id: string; target: MonitorTarget } | null = null;
  /** Mixes of monitor sessions on this phone's calls (the agent's side), by monitor session id. */
  private readonly mixes = new Map<string, { callId: string; mix: MonitorMix }>();

  constructor(options: MonitorAudioOptions) {
    this.options = options;
  }

  /** A monitor session changed (the delegate's `onMonitorChange`). */
  changed(monitor: MonitorInfo): void {
    const { actions, remoteAudio } = this.options;
    const ended = monitor.state === MonitorState.Ended;
    if (monitor.side === 'monitored') {
      const mix = this.mixes.get(monitor.id)?.mix;
      if (ended) this.endMix(monitor.id);
      else if (mix) mix.setMode(monitor.mode);
      else remoteAudio.setMuted(monitor.id, monitor.mode === 'listen');
      actions().monitoredChanged(monitor);
      return;
    }
    if (ended) remoteAudio.stop(monitor.id);
    const own = this.own;
    if (own?.id !== monitor.id) return;
    if (ended) this.own = null;
    actions().monitorSessionChanged(monitorViewOf(monitor, own.target));
  }

  /** A monitor session was answered: its audio (the delegate's `onMonitorMedia`). */
  media(monitor: MonitorInfo, media: CallMedia): void {
    const { remoteAudio, mixer } = this.options;
    if (monitor.side === 'monitoring') {
      // The operator hears the agent and the customer, like a call.
      remoteAudio.play(monitor.id, media.remoteStream);
      return;
    }
    // Played (WebAudio hears WebRTC audio only then), heard by the agent in whisper and barge only.
    remoteAudio.play(monitor.id, media.remoteStream, { muted: monitor.mode === 'listen' });
    const call = monitor.callId === null ? undefined : this.options.callMedia(monitor.callId);
    if (!call || monitor.callId === null) return;
    try {
      const mix = new MonitorMix(
        {
          context: this.options.context(),
          customer: call.remoteStream,
          operator: media.remoteStream,
          toOperator: (node) => mixer.addToSend(media.peerConnection, node),
          toCustomer: (node) => mixer.addToSend(call.peerConnection, node),
          playOperatorToAgent: (audible) => remoteAudio.setMuted(monitor.id, !audible),
        },
        monitor.mode,
      );
      this.mixes.set(monitor.id, { callId: monitor.callId, mix });
    } catch {
      // No audio to mix (a stream without a track): the operator hears the agent only, and the
      // agent still hears a whisper.
    }
  }

  /** A call ended: its monitor sessions end too (the SIP side sends their BYEs), unmixed at once. */
  callEnded(callId: string): void {
    for (const [monitorId, entry] of this.mixes) if (entry.callId === callId) this.endMix(monitorId);
  }

  /** Unmixes everything (the phone stops). */
  dispose(): void {
    for (const monitorId of [...this.mixes.keys()]) this.endMix(monitorId);
  }

  private endMix(monitorId: string): void {
    this.mixes.get(monitorId)?.mix.dispose();
    this.mixes.delete(monitorId);
    this.options.remoteAudio.stop(monitorId);
  }

  startMonitor(target: MonitorTarget, mode: MonitorMode): void {
    const { phone } = this.options;
    const previous = this.own;
    this.own = null;
    if (previous) void phone.stopMonitor(previous.id);
    try {
      const id = phone.startMonitor(target.agentExtension, target.dialogId, mode, target.agentName);
      this.own = { id, target };
    } catch (error) {
      this.options.actions().monitorSessionChanged({
        status: 'ended',
        target,
        reason: error instanceof Error ? error.message : String(error),
        refused: true,
      });
    }
  }

  changeMonitorMode(mode: MonitorMode): void {
    const own = this.own;
    if (own) this.options.phone.changeMonitorMode(own.id, mode).catch(this.options.tell);
  }

  stopMonitor(): void {
    const own = this.own;
    if (own) void this.options.phone.stopMonitor(own.id);
  }
}
