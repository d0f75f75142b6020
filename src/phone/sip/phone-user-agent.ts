import { Inviter, UserAgent } from 'sip.js/lib/api/index.js';
import type { URI } from 'sip.js/lib/grammar/uri.js';
import type { MonitorMode } from '../../../contracts/monitor';
import { dialUriUser, normaliseDialTarget } from './dial-target';
import type { DtmfTone } from './dtmf-relay';
import { watchInboundAudio } from './inbound-audio-watch';
import { peerConnectionConfiguration } from './media-options';
import { monitorHeader } from './monitor-session';
import type { MonitorInfo } from './monitor-session';
import type { CallInfo } from './call-info';
import type { PhoneState } from './phone-state';
import type { PhoneUserAgentDelegate } from './phone-user-agent-delegate';
import type { PhoneUserAgentOptions } from './phone-user-agent-options';
import { SessionRegistry, audioOnly } from './session-registry';
import { SipConnection } from './sip-connection';

/** The URI that calls `target` in `domain` (see dialUriUser), or undefined when it cannot be called. */
function dialUri(target: string, domain: string): URI | undefined {
  const user = dialUriUser(target);
  return user === null ? undefined : UserAgent.makeURI(`sip:${user}@${domain}`);
}

/**
 * The softphone's SIP side, shaped like sip.js's SimpleUser: a connection that keeps itself
 * registered (SipConnection: credentials, WebSocket, REGISTER, reconnection) and the calls and
 * monitor sessions on it (SessionRegistry), behind one set of commands; everything is reported
 * through the delegate.
 */
export class PhoneUserAgent {
  delegate: PhoneUserAgentDelegate | undefined;
  private readonly connection: SipConnection;
  private readonly sessions: SessionRegistry;

  constructor(options: PhoneUserAgentOptions) {
    this.delegate = options.delegate;
    this.sessions = new SessionRegistry({
      now: options.now ?? Date.now,
      dtmfMode: options.dtmfMode ?? 'rfc4733',
      localMedia: options.localMedia,
      delegate: () => this.delegate,
      watchPath: (peerConnection) => {
        this.connection.watchIce(peerConnection);
        watchInboundAudio(peerConnection, () => this.connection.checkNow());
      },
      stopped: () => this.connection.isStopped,
    });
    this.connection = new SipConnection(options, {
      stateChanged: (state, detail) => this.delegate?.onStateChange?.(state, detail),
      invited: (invitation) => this.sessions.invited(invitation),
      reconnected: () => this.sessions.restartIce(),
      credentialsRenewed: (credentials) =>
        this.sessions.useIceServers(peerConnectionConfiguration(credentials)),
    });
  }

  get phoneState(): PhoneState {
    return this.connection.phoneState;
  }

  /** When the next connection attempt starts (while Reconnecting). */
  get nextAttemptAt(): number | null {
    return this.connection.nextAttemptAt;
  }

  /** The user's own extension and domain, once credentials were fetched. */
  get identity(): { extension: string; aor: string } | null {
    const credentials = this.connection.credentials;
    return credentials ? { extension: credentials.extension, aor: credentials.aor } : null;
  }

  callInfos(): CallInfo[] {
    return this.sessions.callInfos();
  }

  monitorInfos(): MonitorInfo[] {
    return this.sessions.monitorInfos();
  }

  /** Connects and registers; from then on stays registered until `stop()`. */
  start(): Promise<void> {
    return this.connection.start();
  }

  /** Un-registers, ends every call and closes the connection (sign-out, tab closed). */
  stop(): Promise<void> {
    return this.connection.stop();
  }

  /** Tries to connect now instead of waiting for the countdown (also when the network came back). */
  retryNow(): void {
    this.connection.retryNow();
  }

  /**
   * The network under the phone changed (the browser says it is back online or its connection
   * changed): the WebSocket may be dead without the browser knowing. Says "reconnecting" and
   * connects anew at once; registering again restarts ICE on every call. (A ping on the SIP
   * connection that goes unanswered does the same, see NetworkLossWatch.)
   */
  networkChanged(): void {
    this.connection.networkChanged();
  }

  /** Calls an extension, a username or a phone number (separators allowed); returns the new call's id. */
  call(target: string): string {
    const { userAgent, credentials } = this.connection.registered('The phone is not registered yet.');
    const uri = dialUri(target, credentials.domain);
    if (!uri) throw new Error(`${target.trim()} is not a number or username that can be called.`);
    const inviter = new Inviter(userAgent, uri, { sessionDescriptionHandlerOptions: audioOnly });
    const call = this.sessions.track(inviter, 'outgoing', {
      name: null,
      number: normaliseDialTarget(target) ?? target,
    });
    void call.dial();
    return call.id;
  }

  answer(callId: string): Promise<void> {
    return this.sessions.call(callId).answer();
  }

  /**
   * Starts monitoring the call `dialogId` (the edge's id) of the agent with `extension`: an INVITE
   * to the agent with the monitor mark. Returns the monitor session's id; how it goes is reported
   * through `onMonitorChange`. `agentName` is who the sentences name.
   */
  startMonitor(extension: string, dialogId: string, mode: MonitorMode, agentName = extension): string {
    const { userAgent, credentials } = this.connection.registered(
      'Your phone is not connected; monitoring needs it.',
    );
    const uri = UserAgent.makeURI(`sip:${extension}@${credentials.domain}`);
    if (!uri) throw new Error(`${extension} is not an extension that can be monitored.`);
    const inviter = new Inviter(userAgent, uri, {
      extraHeaders: [monitorHeader(mode, dialogId)],
      sessionDescriptionHandlerOptions: audioOnly,
    });
    const monitor = this.sessions.trackMonitor(inviter, 'monitoring', mode, agentName, null);
    void monitor.dial();
    return monitor.id;
  }

  /** Asks the edge to switch a running monitor session to another mode (it checks policy again). */
  changeMonitorMode(monitorId: string, mode: MonitorMode): Promise<void> {
    return this.sessions.monitor(monitorId)?.changeMode(mode) ?? Promise.resolve();
  }

  /** Ends a monitor session (CANCEL while it starts, BYE once answered). */
  stopMonitor(monitorId: string, reason = 'You stopped monitoring.'): Promise<void> {
    return this.sessions.monitor(monitorId)?.stop(reason) ?? Promise.resolve();
  }

  /** Declines an incoming call, cancels an outgoing one, hangs up an answered one. */
  hangUp(callId: string): Promise<void> {
    return this.sessions.call(callId).hangUp();
  }

  setHeld(callId: string, held: boolean): Promise<boolean> {
    return this.sessions.call(callId).setHeld(held);
  }

  setMuted(callId: string, muted: boolean): void {
    this.sessions.call(callId).setMuted(muted);
  }

  sendDtmf(callId: string, tone: DtmfTone): Promise<boolean> {
    return this.sessions.call(callId).sendDtmf(tone);
  }

  /** Blind transfer; resolves to null when the other side took the REFER, else a sentence. */
  blindTransfer(callId: string, target: string): Promise<string | null> {
    const domain = this.connection.credentials?.domain;
    const uri = domain ? dialUri(target, domain) : undefined;
    if (!uri) return Promise.resolve(`${target.trim()} is not a number or username that can be called.`);
    return this.sessions.call(callId).transfer(uri);
  }

  /** Attended transfer: connects the other side of `callId` with the other side of `toCallId`. */
  attendedTransfer(callId: string, toCallId: string): Promise<string | null> {
    return this.sessions.call(callId).transfer(this.sessions.call(toCallId));
  }

  /** Re-applies mute and hold to the sending tracks (after a microphone change). */
  refreshTracks(): void {
    for (const call of this.sessions.allCalls()) call.reapplyTracks();
  }
}
