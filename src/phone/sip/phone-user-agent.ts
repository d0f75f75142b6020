import {
  Inviter,
  Registerer,
  RegistererState,
  SIPExtension,
  UserAgent,
  UserAgentState,
} from 'sip.js/lib/api/index.js';
import * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { URI } from 'sip.js/lib/grammar/uri.js';
import type {
  Invitation,
  Referral,
  Session,
  SessionDescriptionHandlerFactory,
  UserAgentOptions,
} from 'sip.js/lib/api/index.js';
import type { MonitorMode } from '../../../contracts/monitor';
import { MIX_FEATURE_TAG, MONITOR_HEADER, parseMonitorMark } from '../../../contracts/monitor-header';
import type { SipCredentials } from '../../../contracts/sip';
import { assertedName } from './asserted-identity';
import { pingAnswered } from './connection-ping';
import { dialUriUser, normaliseDialTarget } from './dial-target';
import type { PingableTransport } from './connection-ping';
import { finishIceGatheringEarly, gatheringAim } from './early-ice-completion';
import { PhoneCall } from './phone-call';
import type { CallInfo, CallMedia, DtmfModeSource } from './phone-call';
import { MonitorSession, monitorHeader } from './monitor-session';
import { watchInboundAudio } from './inbound-audio-watch';
import { NetworkLossWatch } from './network-loss-watch';
import type { MonitorInfo, MonitorSide } from './monitor-session';
import { CallState, MonitorState, PhoneState } from './phone-state';
import { defaultBackoff, reconnectDelay } from './reconnect-backoff';
import type { Backoff } from './reconnect-backoff';
import { registrationRefusalSentence } from './refusal-sentence';
import type { DtmfTone } from './dtmf-relay';

/** What owns a sending path: sip.js's session description handler (its peer connection). */
export type MediaOwner = { readonly peerConnection: RTCPeerConnection | undefined };

/** Gives every session its own microphone stream and takes it back when the session ends. */
export interface LocalMediaSource {
  acquire(owner: MediaOwner): Promise<MediaStream>;
  release(owner: MediaOwner): void;
}

/** Thrown by `fetchCredentials` when trying again cannot help (signed out, no profile). */
export class PermanentPhoneFailure extends Error {
  override name = 'PermanentPhoneFailure';
}

export type PhoneStatusDetail = {
  /** Why the phone failed, as a sentence (Failed); otherwise null. */
  reason: string | null;
  /** When the next connection attempt starts, ms since the epoch (Reconnecting); otherwise null. */
  nextAttemptAt: number | null;
};

/** Optional callbacks, as sip.js's SimpleUser has them. */
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

export type PhoneUserAgentOptions = {
  /** Where the app is served, e.g. `http://localhost:8080`; the WebSocket goes to its `wsPath`. */
  origin: string;
  /** Fresh short-lived SIP credentials for the signed-in session. */
  fetchCredentials: () => Promise<SipCredentials>;
  delegate?: PhoneUserAgentDelegate;
  localMedia?: LocalMediaSource;
  /** RFC 4733 (in the RTP stream) by default, SIP INFO for PBXes that want it. */
  dtmfMode?: DtmfModeSource;
  backoff?: Backoff;
  /** REGISTER expiry in seconds. */
  registerExpires?: number;
  /** How often the registered phone pings its SIP connection (see NetworkLossWatch). */
  pingIntervalMs?: number;
  /** How long a ping may wait for its pong (see pingAnswered). */
  pongTimeoutMs?: number;
  /** Tests: a fake transport and session description handlers. */
  transportConstructor?: UserAgentOptions['transportConstructor'];
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  now?: () => number;
  random?: () => number;
};

class RegistrationRefused extends Error {
  override name = 'RegistrationRefused';
  constructor(
    readonly status: number,
    readonly reasonPhrase: string,
  ) {
    super(`REGISTER refused: ${status} ${reasonPhrase}`);
  }
}

const audioOnly = { constraints: { audio: true, video: false } };

/**
 * How long a network change waits for the old WebSocket to close before connecting anew. A socket
 * whose network is gone never hears the server's close frame, and the browser would wait a minute.
 */
const CLOSE_WAIT_MS = 500;

/** The URI that calls `target` in `domain` (see dialUriUser), or undefined when it cannot be called. */
function dialUri(target: string, domain: string): URI | undefined {
  const user = dialUriUser(target);
  return user === null ? undefined : UserAgent.makeURI(`sip:${user}@${domain}`);
}

/** ws(s)://host/path from the page's origin and the path the server names. */
export function webSocketUrl(origin: string, path: string): string {
  const url = new URL(path, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The softphone's SIP side, shaped like sip.js's SimpleUser: registers with short-lived
 * credentials, keeps itself registered (refreshing the credentials, reconnecting with backoff),
 * places and takes any number of calls, and reports everything through its delegate.
 */
export class PhoneUserAgent {
  delegate: PhoneUserAgentDelegate | undefined;
  private readonly options: PhoneUserAgentOptions;
  private readonly now: () => number;
  private state = PhoneState.Stopped;
  private detail: PhoneStatusDetail = { reason: null, nextAttemptAt: null };
  private stopped = true;
  private userAgent: UserAgent | undefined;
  private registerer: Registerer | undefined;
  private credentials: SipCredentials | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private connecting = false;
  private authRetried = false;
  private wasRegistered = false;
  private readonly calls = new Map<string, PhoneCall>();
  private callCount = 0;
  private readonly monitors = new Map<string, MonitorSession>();
  private monitorCount = 0;
  private readonly lossWatch: NetworkLossWatch;

  constructor(options: PhoneUserAgentOptions) {
    this.options = options;
    this.delegate = options.delegate;
    this.now = options.now ?? Date.now;
    this.lossWatch = new NetworkLossWatch({
      ping: () => {
        const transport = this.userAgent?.transport as PingableTransport | undefined;
        return transport ? pingAnswered(transport, options.pongTimeoutMs) : Promise.resolve(false);
      },
      // The ping went unanswered: the socket is dead, no use waiting for its close.
      lost: () => this.reconnectNow(0),
      ...(options.pingIntervalMs === undefined ? {} : { intervalMs: options.pingIntervalMs }),
    });
  }

  get phoneState(): PhoneState {
    return this.state;
  }

  /** When the next connection attempt starts (while Reconnecting). */
  get nextAttemptAt(): number | null {
    return this.detail.nextAttemptAt;
  }

  /** The user's own extension and domain, once credentials were fetched. */
  get identity(): { extension: string; aor: string } | null {
    return this.credentials ? { extension: this.credentials.extension, aor: this.credentials.aor } : null;
  }

  callInfos(): CallInfo[] {
    return [...this.calls.values()].map((call) => call.info());
  }

  monitorInfos(): MonitorInfo[] {
    return [...this.monitors.values()].map((monitor) => monitor.info());
  }

  /** Connects and registers; from then on stays registered until `stop()`. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    await this.connect();
  }

  /** Un-registers, ends every call and closes the connection (sign-out, tab closed). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.lossWatch.stop();
    this.clearTimers();
    const userAgent = this.userAgent;
    const registerer = this.registerer;
    this.userAgent = undefined;
    this.registerer = undefined;
    this.setState(PhoneState.Stopped, { reason: null, nextAttemptAt: null });
    if (!userAgent) return;
    try {
      if (registerer?.state === RegistererState.Registered && userAgent.isConnected())
        await registerer.unregister().catch(() => undefined);
      await userAgent.stop();
    } catch {
      // Going away anyway.
    }
  }

  /** Tries to connect now instead of waiting for the countdown (also when the network came back). */
  retryNow(): void {
    if (this.stopped || this.connecting) return;
    if (this.state !== PhoneState.Reconnecting && this.state !== PhoneState.Failed) return;
    this.clearRetry();
    void this.connect();
  }

  /**
   * The network under the phone changed (the browser says it is back online or its connection
   * changed): the WebSocket may be dead without the browser knowing. Says "reconnecting" and
   * connects anew at once; registering again restarts ICE on every call. (A ping on the SIP
   * connection that goes unanswered does the same, see NetworkLossWatch.)
   */
  networkChanged(): void {
    this.reconnectNow(CLOSE_WAIT_MS);
  }

  /** Replaces the connection now, waiting at most `closeWaitMs` for the old one to close. */
  private reconnectNow(closeWaitMs: number): void {
    if (this.stopped || this.connecting) return;
    if (this.state !== PhoneState.Registered) {
      this.retryNow();
      return;
    }
    const userAgent = this.userAgent;
    if (!userAgent) return;
    this.lossWatch.stop();
    this.setState(PhoneState.Reconnecting, { reason: null, nextAttemptAt: this.now() });
    // A dead socket's close may never finish; the new connection replaces it after a moment.
    const closed = userAgent.transport.disconnect().catch(() => undefined);
    const waited = new Promise((resolve) => setTimeout(resolve, closeWaitMs));
    void Promise.race([closed, waited]).then(() => this.retryNow());
  }

  /** Calls an extension, a username or a phone number (separators allowed); returns the new call's id. */
  call(target: string): string {
    const userAgent = this.userAgent;
    const credentials = this.credentials;
    if (!userAgent || !credentials || this.state !== PhoneState.Registered)
      throw new Error('The phone is not registered yet.');
    const uri = dialUri(target, credentials.domain);
    if (!uri) throw new Error(`${target.trim()} is not a number or username that can be called.`);
    const inviter = new Inviter(userAgent, uri, { sessionDescriptionHandlerOptions: audioOnly });
    const call = this.track(inviter, 'outgoing', {
      name: null,
      number: normaliseDialTarget(target) ?? target,
    });
    void call.dial();
    return call.id;
  }

  answer(callId: string): Promise<void> {
    return this.require(callId).answer();
  }

  /**
   * Starts monitoring the call `dialogId` (the edge's id) of the agent with `extension`: an INVITE
   * to the agent with the monitor mark. Returns the monitor session's id; how it goes is reported
   * through `onMonitorChange`. `agentName` is who the sentences name.
   */
  startMonitor(extension: string, dialogId: string, mode: MonitorMode, agentName = extension): string {
    const userAgent = this.userAgent;
    const credentials = this.credentials;
    if (!userAgent || !credentials || this.state !== PhoneState.Registered)
      throw new Error('Your phone is not connected; monitoring needs it.');
    const uri = UserAgent.makeURI(`sip:${extension}@${credentials.domain}`);
    if (!uri) throw new Error(`${extension} is not an extension that can be monitored.`);
    const inviter = new Inviter(userAgent, uri, {
      extraHeaders: [monitorHeader(mode, dialogId)],
      sessionDescriptionHandlerOptions: audioOnly,
    });
    const monitor = this.trackMonitor(inviter, 'monitoring', mode, agentName, null);
    void monitor.dial();
    return monitor.id;
  }

  /** Asks the edge to switch a running monitor session to another mode (it checks policy again). */
  changeMonitorMode(monitorId: string, mode: MonitorMode): Promise<void> {
    return this.monitors.get(monitorId)?.changeMode(mode) ?? Promise.resolve();
  }

  /** Ends a monitor session (CANCEL while it starts, BYE once answered). */
  stopMonitor(monitorId: string, reason = 'You stopped monitoring.'): Promise<void> {
    return this.monitors.get(monitorId)?.stop(reason) ?? Promise.resolve();
  }

  /** Declines an incoming call, cancels an outgoing one, hangs up an answered one. */
  hangUp(callId: string): Promise<void> {
    return this.require(callId).hangUp();
  }

  setHeld(callId: string, held: boolean): Promise<boolean> {
    return this.require(callId).setHeld(held);
  }

  setMuted(callId: string, muted: boolean): void {
    this.require(callId).setMuted(muted);
  }

  sendDtmf(callId: string, tone: DtmfTone): Promise<boolean> {
    return this.require(callId).sendDtmf(tone);
  }

  /** Blind transfer; resolves to null when the other side took the REFER, else a sentence. */
  blindTransfer(callId: string, target: string): Promise<string | null> {
    const domain = this.credentials?.domain;
    const uri = domain ? dialUri(target, domain) : undefined;
    if (!uri) return Promise.resolve(`${target.trim()} is not a number or username that can be called.`);
    return this.require(callId).transfer(uri);
  }

  /** Attended transfer: connects the other side of `callId` with the other side of `toCallId`. */
  attendedTransfer(callId: string, toCallId: string): Promise<string | null> {
    return this.require(callId).transfer(this.require(toCallId));
  }

  /** Re-applies mute and hold to the sending tracks (after a microphone change). */
  refreshTracks(): void {
    for (const call of this.calls.values()) call.reapplyTracks();
  }

  private require(callId: string): PhoneCall {
    const call = this.calls.get(callId);
    if (!call) throw new Error('That call has ended.');
    return call;
  }

  private setState(state: PhoneState, detail: PhoneStatusDetail): void {
    this.state = state;
    this.detail = detail;
    this.delegate?.onStateChange?.(state, detail);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private clearTimers(): void {
    this.clearRetry();
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.connecting = true;
    this.setState(PhoneState.Connecting, { reason: null, nextAttemptAt: null });
    try {
      if (!this.credentials || this.credentialsExpiringSoon()) await this.refreshCredentials();
      const userAgent = this.ensureUserAgent();
      if (userAgent.state === UserAgentState.Stopped) await userAgent.start();
      else if (!userAgent.isConnected()) await userAgent.reconnect();
      if (this.stopped) return;
      await this.register();
      if (this.stopped) return;
      this.attempt = 0;
      this.authRetried = false;
      const reconnected = this.wasRegistered;
      this.wasRegistered = true;
      this.setState(PhoneState.Registered, { reason: null, nextAttemptAt: null });
      this.lossWatch.start();
      if (reconnected) this.restartIce();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof PermanentPhoneFailure) {
        this.setState(PhoneState.Failed, { reason: error.message, nextAttemptAt: null });
      } else if (error instanceof RegistrationRefused && isAuthFailure(error.status) && !this.authRetried) {
        // Credentials from before a server restart (new secret): fetch fresh ones once.
        this.authRetried = true;
        this.credentials = undefined;
        this.scheduleReconnect();
      } else if (error instanceof RegistrationRefused && !isTransient(error.status)) {
        if (isAuthFailure(error.status)) this.credentials = undefined;
        this.setState(PhoneState.Failed, {
          reason: registrationRefusalSentence(error.status, error.reasonPhrase),
          nextAttemptAt: null,
        });
      } else {
        this.scheduleReconnect();
      }
    } finally {
      this.connecting = false;
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.lossWatch.stop();
    this.clearRetry();
    const delay = reconnectDelay(this.attempt, this.options.backoff ?? defaultBackoff, this.options.random);
    this.attempt += 1;
    this.setState(PhoneState.Reconnecting, { reason: null, nextAttemptAt: this.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private credentialsExpiringSoon(): boolean {
    if (!this.credentials) return true;
    return Date.parse(this.credentials.expiresAt) - this.now() < 60_000;
  }

  private async refreshCredentials(): Promise<void> {
    const credentials = await this.options.fetchCredentials();
    this.credentials = credentials;
    if (this.userAgent) {
      this.userAgent.configuration.authorizationUsername = credentials.username;
      this.userAgent.configuration.authorizationPassword = credentials.password;
      // The relay's credentials were renewed with these: new calls and ICE restarts use them.
      this.userAgent.configuration.sessionDescriptionHandlerFactoryOptions = mediaOptions(credentials);
      for (const call of this.calls.values()) call.useIceServers(peerConnectionConfiguration(credentials));
    }
    this.scheduleCredentialRefresh(credentials);
  }

  /** New credentials at four fifths of the lifetime, then a fresh REGISTER with them. */
  private scheduleCredentialRefresh(credentials: SipCredentials): void {
    const lifetime = Date.parse(credentials.expiresAt) - this.now();
    this.refreshCredentialsIn(Math.max(lifetime * 0.8, 5_000));
  }

  private refreshCredentialsIn(ms: number): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => {
        this.refreshTimer = undefined;
        if (this.stopped) return;
        this.refreshCredentials()
          .then(() => (this.state === PhoneState.Registered ? this.register() : undefined))
          .catch(() => {
            if (!this.stopped) this.refreshCredentialsIn(30_000);
          });
      },
      Math.min(ms, 2 ** 31 - 1),
    );
  }

  private ensureUserAgent(): UserAgent {
    if (this.userAgent) return this.userAgent;
    const credentials = this.credentials;
    if (!credentials) throw new Error('No SIP credentials yet.');
    const uri = UserAgent.makeURI(credentials.aor);
    if (!uri)
      throw new PermanentPhoneFailure(
        `The server gave an address this phone cannot use (${credentials.aor}).`,
      );
    const localMedia = this.options.localMedia;
    const mediaStreamFactory: Web.MediaStreamFactory = localMedia
      ? (_constraints, sdh) => localMedia.acquire(sdh)
      : (constraints) => navigator.mediaDevices.getUserMedia(constraints);
    const defaultFactory = Web.defaultSessionDescriptionHandlerFactory(mediaStreamFactory);
    // The offer/answer goes out once the candidates the configured ICE servers can give are in.
    const webFactory: SessionDescriptionHandlerFactory = (session, options) => {
      const handler = defaultFactory(session, options);
      const aim = gatheringAim(this.credentials?.iceServers ?? []);
      if (handler instanceof Web.SessionDescriptionHandler) finishIceGatheringEarly(handler, aim);
      return handler;
    };
    const userAgent = new UserAgent({
      uri,
      displayName: credentials.displayName,
      authorizationUsername: credentials.username,
      authorizationPassword: credentials.password,
      transportOptions: {
        server: webSocketUrl(this.options.origin, credentials.wsPath),
        connectionTimeout: 5,
      },
      ...(this.options.transportConstructor
        ? { transportConstructor: this.options.transportConstructor }
        : {}),
      sessionDescriptionHandlerFactory: this.options.sessionDescriptionHandlerFactory ?? webFactory,
      sessionDescriptionHandlerFactoryOptions: mediaOptions(credentials),
      sipExtensionReplaces: SIPExtension.Supported,
      // Sent by onInvite for calls only: a monitor session is answered without ringing.
      sendInitialProvisionalResponse: false,
      logBuiltinEnabled: false,
      logLevel: 'error',
      userAgentString: 'Switchboard softphone (sip.js 0.21)',
      delegate: {
        onDisconnect: () => {
          // Any drop we did not ask for (stop() sets `stopped` first): reconnect.
          if (this.stopped || this.connecting) return;
          if (this.state === PhoneState.Registered) this.scheduleReconnect();
        },
        onInvite: (invitation) => this.onInvite(invitation),
      },
    });
    this.userAgent = userAgent;
    return userAgent;
  }

  private register(): Promise<void> {
    const userAgent = this.userAgent;
    if (!userAgent) return Promise.reject(new Error('No user agent.'));
    if (!this.registerer) {
      const registerer = new Registerer(userAgent, {
        expires: this.options.registerExpires ?? 300,
        // This phone can mix monitor sessions (the edge forwards them only to phones that say so).
        extraContactHeaderParams: [MIX_FEATURE_TAG],
      });
      registerer.stateChange.addListener((state) => {
        // A refresh that failed leaves the phone unregistered: get it back.
        if (state === RegistererState.Unregistered && !this.stopped && this.state === PhoneState.Registered)
          this.scheduleReconnect();
      });
      this.registerer = registerer;
    }
    const registerer = this.registerer;
    return new Promise<void>((resolve, reject) => {
      registerer
        .register({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) =>
              reject(
                new RegistrationRefused(
                  response.message.statusCode ?? 0,
                  response.message.reasonPhrase ?? '',
                ),
              ),
          },
        })
        .catch(reject);
    });
  }

  /** A session's audio stalling or its ICE losing the path may mean this phone's network changed. */
  private watchPath(peerConnection: RTCPeerConnection): void {
    this.lossWatch.watchIce(peerConnection);
    watchInboundAudio(peerConnection, () => void this.lossWatch.check());
  }

  private restartIce(): void {
    for (const call of this.calls.values()) {
      if (call.established) void call.restartIce();
    }
    for (const monitor of this.monitors.values()) void monitor.restartIce();
  }

  private onInvite(invitation: Invitation): void {
    const mark = invitation.request.getHeader(MONITOR_HEADER);
    if (mark !== undefined) {
      this.onMonitorInvite(invitation, mark);
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
  private onMonitorInvite(invitation: Invitation, header: string): void {
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

  private trackMonitor(
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
        now: this.now,
        changed: (changed) => this.onMonitorChanged(changed),
        media: (changed, media) => {
          this.watchPath(media.peerConnection);
          this.delegate?.onMonitorMedia?.(changed.info(), media);
        },
      },
    });
    this.monitors.set(monitor.id, monitor);
    return monitor;
  }

  private onMonitorChanged(monitor: MonitorSession): void {
    const info = monitor.info();
    if (info.state === MonitorState.Ended) {
      this.monitors.delete(monitor.id);
      const sdh = monitor.session.sessionDescriptionHandler;
      if (sdh instanceof Web.SessionDescriptionHandler) this.options.localMedia?.release(sdh);
    }
    this.delegate?.onMonitorChange?.(info);
  }

  private onRefer(call: PhoneCall, referral: Referral): void {
    const target = referral.referTo.uri.user ?? referral.referTo.uri.toString();
    referral
      .accept()
      .then(() => {
        if (this.stopped) return;
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: audioOnly });
        call.noteReferredTo(target);
        const next = this.track(inviter, 'outgoing', { name: null, number: target });
        void next.dial();
      })
      .catch(() => undefined);
  }

  private track(
    session: Session,
    direction: 'incoming' | 'outgoing',
    peer: { name: string | null; number: string },
  ): PhoneCall {
    this.callCount += 1;
    const call = new PhoneCall({
      id: `call-${this.callCount}`,
      session,
      direction,
      peer,
      dtmfMode: this.options.dtmfMode ?? 'rfc4733',
      hooks: {
        now: this.now,
        changed: (changed) => this.onCallChanged(changed),
        media: (changed, media) => {
          this.watchPath(media.peerConnection);
          this.delegate?.onCallMedia?.(changed.id, media);
        },
        dtmfReceived: (changed, tone) => this.delegate?.onDtmfReceived?.(changed.id, tone),
      },
    });
    session.delegate = { ...session.delegate, onRefer: (referral) => this.onRefer(call, referral) };
    this.calls.set(call.id, call);
    this.delegate?.onCallChange?.(call.info());
    return call;
  }

  private onCallChanged(call: PhoneCall): void {
    const info = call.info();
    if (info.state === CallState.Ended) {
      this.calls.delete(call.id);
      const sdh = call.session.sessionDescriptionHandler;
      if (sdh instanceof Web.SessionDescriptionHandler) this.options.localMedia?.release(sdh);
      // Monitoring a call that has ended ends too (the edge also says so with a BYE).
      for (const monitor of this.monitors.values())
        if (monitor.callId === call.id) void monitor.stop('The monitored call ended.');
    }
    this.delegate?.onCallChange?.(info);
  }
}

/** The relay (if any) and whether only it may be used, as RTCPeerConnection takes them. */
function peerConnectionConfiguration(credentials: SipCredentials): RTCConfiguration {
  return { iceServers: credentials.iceServers, iceTransportPolicy: credentials.iceTransportPolicy };
}

function mediaOptions(credentials: SipCredentials): Web.SessionDescriptionHandlerFactoryOptions {
  return {
    iceGatheringTimeout: credentials.iceGatheringTimeoutMs,
    peerConnectionConfiguration: peerConnectionConfiguration(credentials),
  };
}

function isAuthFailure(status: number): boolean {
  return status === 401 || status === 407;
}

/** Statuses worth trying again later rather than showing as a failure. */
function isTransient(status: number): boolean {
  return status === 408 || status === 500 || status === 503 || status === 504;
}
