import { RegistererState, UserAgentState } from 'sip.js/lib/api/index.js';
import type { Invitation, Registerer, UserAgent } from 'sip.js/lib/api/index.js';
import type { SipCredentials } from '../../../contracts/sip';
import { pingAnswered } from './connection-ping';
import type { PingableTransport } from './connection-ping';
import { EdgeRotation } from './edge-rotation';
import type { EdgeTry } from './edge-rotation';
import { isEdgeSwitchable } from './edge-transport';
import { edgeUrls } from './edge-urls';
import { mediaOptions } from './media-options';
import { NetworkLossWatch } from './network-loss-watch';
import { PermanentPhoneFailure, RegistrationRefused, isAuthFailure, isTransient } from './phone-failures';
import { createRegisterer, createSipUserAgent, registerOnce } from './sip-user-agent-factory';
import { PhoneState } from './phone-state';
import type { PhoneStatusDetail } from './phone-user-agent-delegate';
import type { PhoneUserAgentOptions } from './phone-user-agent-options';
import { defaultBackoff, reconnectDelay } from './reconnect-backoff';
import { registrationRefusalSentence } from './refusal-sentence';

/** What the connection tells the phone that owns it. */
export type SipConnectionHooks = {
  stateChanged(state: PhoneState, detail: PhoneStatusDetail): void;
  /** An INVITE arrived (a call, or a monitor session). */
  invited(invitation: Invitation): void;
  /** Registered again after a lost connection: calls in progress should restart ICE. */
  reconnected(): void;
  /** New credentials came (and with them the relay's): calls use them for ICE restarts. */
  credentialsRenewed(credentials: SipCredentials): void;
};

/** The user agent and credentials while the phone is registered. */
export type Registered = { userAgent: UserAgent; credentials: SipCredentials };

/**
 * How long a network change waits for the old WebSocket to close before connecting anew. A socket
 * whose network is gone never hears the server's close frame, and the browser would wait a minute.
 */
const CLOSE_WAIT_MS = 500;

/**
 * The phone's connection and registration keeper, like sip.js's SimpleUser without the calls:
 * fetches short-lived credentials (and refreshes them before they run out), opens the WebSocket
 * to one of the SIP edges, registers, pings the connection, and when it drops or the network
 * changes reconnects with back-off, moving to the next edge when one keeps failing.
 */
export class SipConnection {
  private readonly options: PhoneUserAgentOptions;
  private readonly hooks: SipConnectionHooks;
  private readonly now: () => number;
  private state = PhoneState.Stopped;
  private detail: PhoneStatusDetail = { reason: null, nextAttemptAt: null };
  private stopped = true;
  private agent: UserAgent | undefined;
  private registerer: Registerer | undefined;
  private current: SipCredentials | undefined;
  private edges: EdgeRotation | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private connecting = false;
  private authRetried = false;
  private wasRegistered = false;
  private readonly lossWatch: NetworkLossWatch;

  constructor(options: PhoneUserAgentOptions, hooks: SipConnectionHooks) {
    this.options = options;
    this.hooks = hooks;
    this.now = options.now ?? Date.now;
    this.lossWatch = new NetworkLossWatch({
      ping: () => {
        const transport = this.agent?.transport as PingableTransport | undefined;
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

  get nextAttemptAt(): number | null {
    return this.detail.nextAttemptAt;
  }

  /** The credentials fetched last (undefined before the first, or after the edge refused them). */
  get credentials(): SipCredentials | undefined {
    return this.current;
  }

  /** Whether `stop()` was called (and `start()` not since). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The user agent and credentials while registered; otherwise throws `problem`. */
  registered(problem: string): Registered {
    const userAgent = this.agent;
    const credentials = this.current;
    if (!userAgent || !credentials || this.state !== PhoneState.Registered) throw new Error(problem);
    return { userAgent, credentials };
  }

  /** A session's audio stalling or its ICE losing the path may mean this phone's network changed. */
  watchIce(peerConnection: RTCPeerConnection): void {
    this.lossWatch.watchIce(peerConnection);
  }

  /** Pings the connection now (a call's audio stalled). */
  checkNow(): void {
    void this.lossWatch.check();
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    await this.connect();
  }

  /** Un-registers and closes the connection; sip.js ends the sessions with it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.lossWatch.stop();
    this.clearTimers();
    const userAgent = this.agent;
    const registerer = this.registerer;
    this.agent = undefined;
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

  retryNow(): void {
    if (this.stopped || this.connecting) return;
    if (this.state !== PhoneState.Reconnecting && this.state !== PhoneState.Failed) return;
    this.clearRetry();
    void this.connect();
  }

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
    const userAgent = this.agent;
    if (!userAgent) return;
    this.lossWatch.stop();
    this.setState(PhoneState.Reconnecting, { reason: null, nextAttemptAt: this.now(), ...this.edgeDetail() });
    // A dead socket's close may never finish; the new connection replaces it after a moment.
    const closed = userAgent.transport.disconnect().catch(() => undefined);
    const waited = new Promise((resolve) => setTimeout(resolve, closeWaitMs));
    void Promise.race([closed, waited]).then(() => this.retryNow());
  }

  private edgeDetail(): Pick<PhoneStatusDetail, 'edge'> {
    const edges = this.edges;
    return edges ? { edge: { index: edges.current.index, count: edges.count } } : {};
  }

  private setState(state: PhoneState, detail: PhoneStatusDetail): void {
    this.state = state;
    this.detail = detail;
    this.hooks.stateChanged(state, detail);
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
    this.setState(PhoneState.Connecting, { reason: null, nextAttemptAt: null, ...this.edgeDetail() });
    try {
      if (!this.current || this.credentialsExpiringSoon()) await this.refreshCredentials();
      const userAgent = this.ensureUserAgent();
      const edge = this.edges?.current;
      if (edge && isEdgeSwitchable(userAgent.transport)) userAgent.transport.useServer(edge.url);
      if (userAgent.state === UserAgentState.Stopped) await userAgent.start();
      else if (!userAgent.isConnected()) await userAgent.reconnect();
      if (this.stopped) return;
      await this.register();
      if (this.stopped) return;
      this.attempt = 0;
      this.authRetried = false;
      this.edges?.succeeded();
      const reconnected = this.wasRegistered;
      this.wasRegistered = true;
      this.setState(PhoneState.Registered, { reason: null, nextAttemptAt: null, ...this.edgeDetail() });
      this.lossWatch.start();
      if (reconnected) this.hooks.reconnected();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof PermanentPhoneFailure) {
        this.setState(PhoneState.Failed, { reason: error.message, nextAttemptAt: null });
      } else if (error instanceof RegistrationRefused && isAuthFailure(error.status) && !this.authRetried) {
        // Credentials from before a server restart (new secret): fetch fresh ones once.
        this.authRetried = true;
        this.current = undefined;
        this.scheduleReconnect(false);
      } else if (error instanceof RegistrationRefused && !isTransient(error.status)) {
        if (isAuthFailure(error.status)) this.current = undefined;
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

  /**
   * The next try after a failure or a drop, after its back-off; `edgeFailed` counts it against
   * the current edge, which after a few such tries gives way to the next (see EdgeRotation).
   */
  private scheduleReconnect(edgeFailed = true): void {
    if (this.stopped) return;
    this.lossWatch.stop();
    this.clearRetry();
    const next: EdgeTry | undefined = edgeFailed ? this.edges?.failed() : this.edges?.current;
    const backoff = reconnectDelay(this.attempt, this.options.backoff ?? defaultBackoff, this.options.random);
    const delay = next?.atOnce ? 0 : backoff;
    this.attempt += 1;
    this.setState(PhoneState.Reconnecting, {
      reason: null,
      nextAttemptAt: this.now() + delay,
      ...this.edgeDetail(),
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private credentialsExpiringSoon(): boolean {
    if (!this.current) return true;
    return Date.parse(this.current.expiresAt) - this.now() < 60_000;
  }

  private async refreshCredentials(): Promise<void> {
    const credentials = await this.options.fetchCredentials();
    this.current = credentials;
    if (this.agent) {
      this.agent.configuration.authorizationUsername = credentials.username;
      this.agent.configuration.authorizationPassword = credentials.password;
      // The relay's credentials were renewed with these: new calls and ICE restarts use them.
      this.agent.configuration.sessionDescriptionHandlerFactoryOptions = mediaOptions(credentials);
      this.hooks.credentialsRenewed(credentials);
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
    if (this.agent) return this.agent;
    const credentials = this.current;
    if (!credentials) throw new Error('No SIP credentials yet.');
    let edges: EdgeRotation;
    try {
      edges =
        this.edges ?? new EdgeRotation(edgeUrls(credentials, this.options.origin), this.options.triesPerEdge);
    } catch {
      throw new PermanentPhoneFailure('The server named a SIP server address this phone cannot use.');
    }
    this.edges = edges;
    this.agent = createSipUserAgent(
      credentials,
      edges.current.url,
      this.options,
      () => this.current?.iceServers ?? [],
      {
        disconnected: () => {
          // Any drop we did not ask for (stop() sets `stopped` first): reconnect.
          if (this.stopped || this.connecting) return;
          if (this.state === PhoneState.Registered) this.scheduleReconnect();
        },
        invited: (invitation) => this.hooks.invited(invitation),
      },
    );
    return this.agent;
  }

  private register(): Promise<void> {
    const userAgent = this.agent;
    if (!userAgent) return Promise.reject(new Error('No user agent.'));
    if (!this.registerer) {
      const registerer = createRegisterer(userAgent, this.options.registerExpires ?? 300);
      registerer.stateChange.addListener((state) => {
        // A refresh that failed leaves the phone unregistered: get it back.
        if (state === RegistererState.Unregistered && !this.stopped && this.state === PhoneState.Registered)
          this.scheduleReconnect();
      });
      this.registerer = registerer;
    }
    return registerOnce(this.registerer);
  }
}
