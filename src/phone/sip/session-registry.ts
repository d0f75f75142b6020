import type { Invitation, Referral, Session } from 'sip.js/lib/api/index.js';
import type { MonitorMode } from '../../../contracts/monitor';
import { MONITOR_HEADER, parseMonitorMark } from '../../../contracts/monitor-header';
import { assertedName } from './asserted-identity';
import { releaseSessionMedia } from './media-options';
import { MonitorSession } from './monitor-session';
import type { MonitorInfo, MonitorSide } from './monitor-session';
import { PhoneCall } from './phone-call';
import type { CallInfo, DtmfModeSource } from './call-info';
import { CallState, MonitorState } from './phone-state';
import type { PhoneUserAgentDelegate } from './phone-user-agent-delegate';
import type { LocalMediaSource } from './phone-user-agent-options';

/** sip.js session options for audio-only sessions. */
export const audioOnly = { constraints: { audio: true, video: false } };

/** What the registry needs from the phone around it. */
export type SessionRegistryOptions = {
  now: () => number;
  dtmfMode: DtmfModeSource;
  localMedia: LocalMediaSource | undefined;
  /** Where changes are reported (read at each report: the phone's delegate may be replaced). */
  delegate: () => PhoneUserAgentDelegate | undefined;
  /** A session got its media: its path is watched for a network change. */
  watchPath: (peerConnection: RTCPeerConnection) => void;
  /** Whether the phone has stopped (a transfer arriving then is not followed). */
  stopped: () => boolean;
};

/**
 * The calls and monitor sessions of one phone: tracks every session sip.js has (placed or
 * arriving), answers the edge's monitor INVITEs, follows transfers, gives each session's
 * microphone back when it ends, and reports every change to the phone's delegate.
 */
export class SessionRegistry {
  private readonly options: SessionRegistryOptions;
  private readonly calls = new Map<string, PhoneCall>();
  private readonly monitors = new Map<string, MonitorSession>();
  private callCount = 0;
  private monitorCount = 0;

  constructor(options: SessionRegistryOptions) {
    this.options = options;
  }

  callInfos(): CallInfo[] {
    return [...this.calls.values()].map((call) => call.info());
  }

  monitorInfos(): MonitorInfo[] {
    return [...this.monitors.values()].map((monitor) => monitor.info());
  }

  /** The call with `callId`; throws a sentence when it has ended. */
  call(callId: string): PhoneCall {
    const call = this.calls.get(callId);
    if (!call) throw new Error('That call has ended.');
    return call;
  }

  /** The monitor session with `monitorId`, if it still runs. */
  monitor(monitorId: string): MonitorSession | undefined {
    return this.monitors.get(monitorId);
  }

  allCalls(): IterableIterator<PhoneCall> {
    return this.calls.values();
  }

  /** Registered again after a lost connection: every answered call and monitor session restarts ICE. */
  restartIce(): void {
    for (const call of this.calls.values()) {
      if (call.established) void call.restartIce();
    }
    for (const monitor of this.monitors.values()) void monitor.restartIce();
  }

  /** The relay's credentials were renewed: ICE restarts of calls in progress use the new ones. */
  useIceServers(configuration: RTCConfiguration): void {
    for (const call of this.calls.values()) call.useIceServers(configuration);
  }

  /** An INVITE arrived: a call that rings (or replaces one), or a monitor session. */
  invited(invitation: Invitation): void {
    const mark = invitation.request.getHeader(MONITOR_HEADER);
    if (mark !== undefined) {
      this.monitorInvited(invitation, mark);
      return;
    }
    // The 180 sip.js would have sent by itself (not when the caller requires reliable provisionals).
    if (!/\b100rel\b/i.test(invitation.request.getHeader('require') ?? ''))
      void invitation.progress().catch(() => undefined);
    const identity = invitation.remoteIdentity;
    const call = this.track(invitation, 'incoming', {
      // The name the edge vouches for first; From's display name is whatever the caller wrote.
      name: assertedName(invitation.request) ?? (identity.displayName ? identity.displayName : null),
      number: identity.uri.user ?? identity.uri.toString(),
    });
    const replacee = invitation.replacee;
    if (replacee) {
      // Attended transfer arriving here: it takes the place of a call this phone already has.
      const replaced = [...this.calls.values()].find((candidate) => candidate.session === replacee);
      if (replaced) {
        call.replacesCallId = replaced.id;
        void call.answer();
      }
    }
  }

  /**
   * A monitor session the edge forwards (only after checking policy; it strips every mark it did
   * not put there itself): answered at once, silently, if the call it names is live here.
   */
  private monitorInvited(invitation: Invitation, header: string): void {
    const mark = parseMonitorMark(header);
    if (!mark?.callId) {
      void invitation.reject({ statusCode: 400, reasonPhrase: 'The monitor request names no call' });
      return;
    }
    const call = [...this.calls.values()].find(
      (candidate) => !candidate.ended && candidate.sipCallId === mark.callId,
    );
    if (!call) {
      void invitation.reject({ statusCode: 481, reasonPhrase: 'That call has ended' });
      return;
    }
    if (!call.established) {
      void invitation.reject({ statusCode: 480, reasonPhrase: 'That call is not answered yet' });
      return;
    }
    const identity = invitation.remoteIdentity;
    const by = mark.by ?? (identity.displayName || identity.uri.user || 'Someone');
    const monitor = this.trackMonitor(invitation, 'monitored', mark.mode, by, call.id);
    void monitor.answer();
  }

  /** Starts tracking a monitor session (placed by this phone, or arriving on one of its calls). */
  trackMonitor(
    session: Session,
    side: MonitorSide,
    mode: MonitorMode,
    peer: string,
    callId: string | null,
  ): MonitorSession {
    this.monitorCount += 1;
    const monitor = new MonitorSession({
      id: `monitor-${this.monitorCount}`,
      side,
      session,
      mode,
      peer,
      callId,
      hooks: {
        now: this.options.now,
        changed: (changed) => this.monitorChanged(changed),
        media: (changed, media) => {
          this.options.watchPath(media.peerConnection);
          this.options.delegate()?.onMonitorMedia?.(changed.info(), media);
        },
      },
    });
    this.monitors.set(monitor.id, monitor);
    return monitor;
  }

  private monitorChanged(monitor: MonitorSession): void {
    const info = monitor.info();
    if (info.state === MonitorState.Ended) {
      this.monitors.delete(monitor.id);
      releaseSessionMedia(this.options.localMedia, monitor.session.sessionDescriptionHandler);
    }
    this.options.delegate()?.onMonitorChange?.(info);
  }

  private referred(call: PhoneCall, referral: Referral): void {
    const target = referral.referTo.uri.user ?? referral.referTo.uri.toString();
    referral
      .accept()
      .then(() => {
        if (this.options.stopped()) return;
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: audioOnly });
        call.noteReferredTo(target);
        const next = this.track(inviter, 'outgoing', { name: null, number: target });
        void next.dial();
      })
      .catch(() => undefined);
  }

  /** Starts tracking a call (placed by this phone, or arriving) and reports it. */
  track(
    session: Session,
    direction: 'incoming' | 'outgoing',
    peer: { name: string | null; number: string },
  ): PhoneCall {
    this.callCount += 1;
    const delegate = this.options.delegate;
    const call = new PhoneCall({
      id: `call-${this.callCount}`,
      session,
      direction,
      peer,
      dtmfMode: this.options.dtmfMode,
      hooks: {
        now: this.options.now,
        changed: (changed) => this.callChanged(changed),
        media: (changed, media) => {
          this.options.watchPath(media.peerConnection);
          delegate()?.onCallMedia?.(changed.id, media);
        },
        dtmfReceived: (changed, tone) => delegate()?.onDtmfReceived?.(changed.id, tone),
      },
    });
    session.delegate = { ...session.delegate, onRefer: (referral) => this.referred(call, referral) };
    this.calls.set(call.id, call);
    delegate()?.onCallChange?.(call.info());
    return call;
  }

  private callChanged(call: PhoneCall): void {
    const info = call.info();
    if (info.state === CallState.Ended) {
      this.calls.delete(call.id);
      releaseSessionMedia(this.options.localMedia, call.session.sessionDescriptionHandler);
      // Monitoring a call that has ended ends too (the edge also says so with a BYE).
      for (const monitor of this.monitors.values())
        if (monitor.callId === call.id) void monitor.stop('The monitored call ended.');
    }
    this.options.delegate()?.onCallChange?.(info);
  }
}
