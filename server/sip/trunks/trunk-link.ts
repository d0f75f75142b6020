import type { TrunkState, TrunkStatus } from '../../../contracts/trunks';
import type { EdgeAddress } from '../edge-address';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { TransactionLayer } from '../transaction/transaction-layer';
import type { SipConnection } from '../transport/transport';
import { answerRequestChallenge, NonceCounts } from './challenge-answer';
import { guardedConnection } from './guarded-connection';
import type { TrunkConfig } from './trunk-config';
import { plainAddress, TrunkHost, type ResolveHost } from './trunk-host';
import { TrunkRegistration, trunkContactUser } from './trunk-registration';
import { secondsText, type TrunkTiming } from './trunk-timing';
import { createUacRequest } from './uac-request';

/** The edge's UDP and TCP transports as trunk links use them; null: that transport is off. */
export interface TrunkTransports {
  udp: { flowTo(address: string, port: number): SipConnection } | null;
  tcp: { connectTo(host: string, port: number): Promise<SipConnection> } | null;
}

export interface TrunkLinkDeps {
  layer: TransactionLayer;
  address: EdgeAddress;
  transports: TrunkTransports;
  timing: TrunkTiming;
  resolve: ResolveHost;
  /** The trunk's state, problem or registration state changed (not on every keep-alive). */
  changed(trunkId: number): void;
}

/** The status of a trunk nobody has checked yet. */
export function unknownTrunkStatus(state: TrunkState = 'unknown'): TrunkStatus {
  return { state, roundTripMs: null, checkedAt: null, lastError: null, registration: null };
}

/** Whether two configurations of one trunk need the same link (address, transport, authentication). */
export function sameLink(a: TrunkConfig, b: TrunkConfig): boolean {
  return (
    a.id === b.id &&
    a.host === b.host &&
    a.port === b.port &&
    a.transport === b.transport &&
    a.enabled === b.enabled &&
    JSON.stringify(a.auth) === JSON.stringify(b.auth)
  );
}

/**
 * The edge's link to one trunk: its host's addresses, its connection (a UDP flow, or a TCP
 * connection opened again when it closes), its registration for `register` trunks, and the OPTIONS
 * keep-alive whose answers make its status. A disabled trunk's link sends nothing.
 */
export class TrunkLink {
  #config: TrunkConfig;
  readonly #host: TrunkHost;
  readonly #registration: TrunkRegistration | null;
  readonly #counts = new NonceCounts();
  #state: TrunkState;
  #roundTripMs: number | null = null;
  #checkedAt: Date | null = null;
  #optionsProblem: string | null = null;
  #connection: SipConnection | null = null;
  #connecting: Promise<SipConnection> | null = null;
  #probeTimer: NodeJS.Timeout | null = null;
  /** The OPTIONS waiting for its answer, which closing waits for (briefly). */
  #probing: Promise<void> | null = null;
  /** No more keep-alives or registrations. */
  #stopped = false;
  /** No more connections either (after the un-REGISTER). */
  #closed = false;
  #signature = '';

  constructor(
    config: TrunkConfig,
    private readonly deps: TrunkLinkDeps,
  ) {
    this.#config = config;
    this.#host = new TrunkHost(config.host, deps.resolve, deps.timing.dnsRefreshMs);
    this.#state = config.enabled ? 'unknown' : 'disabled';
    const { auth } = config;
    this.#registration =
      config.enabled && auth.kind === 'register'
        ? new TrunkRegistration({
            trunkId: config.id,
            host: config.host,
            port: config.port,
            transport: config.transport,
            credentials: { username: auth.username, password: auth.password },
            layer: deps.layer,
            address: deps.address,
            timing: deps.timing,
            connection: () => this.connection(),
            changed: () => this.#changed(),
          })
        : null;
    this.#signature = this.#signatureNow();
  }

  get config(): TrunkConfig {
    return this.#config;
  }

  /** Routing fields (prefixes, priority, caller ID…) changed without touching the link itself. */
  update(config: TrunkConfig): void {
    this.#config = config;
  }

  get state(): TrunkState {
    return this.#state;
  }

  /** `host:port` as the administrator wrote it, for sentences. */
  get where(): string {
    return `${this.#config.host}:${this.#config.port}`;
  }

  start(): void {
    if (!this.#config.enabled || this.#stopped) return;
    this.#registration?.start();
    void this.#probe();
  }

  status(): TrunkStatus {
    const registration = this.#registration;
    return {
      state: this.#state,
      roundTripMs: this.#roundTripMs,
      checkedAt: this.#checkedAt?.toISOString() ?? null,
      lastError: this.#optionsProblem ?? registration?.problem ?? null,
      registration: registration
        ? { state: registration.state, expiresAt: registration.expiresAt?.toISOString() ?? null }
        : this.#config.auth.kind === 'register' && this.#config.enabled
          ? { state: 'registering', expiresAt: null }
          : null,
    };
  }

  /**
   * Whether a request on `connection` comes from this trunk: for `ip` trunks its source address
   * is one of theirs; for `register` trunks it is the connection the edge opened, or comes from
   * an address the host resolves to and the trunk's port.
   */
  owns(connection: SipConnection): boolean {
    if (!this.#config.enabled) return false;
    const { auth } = this.#config;
    if (auth.kind === 'ip') {
      const source = plainAddress(connection.remoteAddress);
      return auth.addresses.some((address) => plainAddress(address) === source);
    }
    if (connection === this.#connection) return true;
    return connection.remotePort === this.#config.port && this.#host.has(connection.remoteAddress);
  }

  /** The connection to send this trunk's requests on; rejects with a sentence. */
  connection(): Promise<SipConnection> {
    if (this.#closed) return Promise.reject(new Error(`The link to ${this.where} is closed`));
    const open = this.#connection;
    if (open && !open.closed && this.#host.has(open.remoteAddress)) {
      // Keep the host's addresses fresh (a cheap check until the refresh is due).
      return this.#host.current().then(() => open);
    }
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #connect(): Promise<SipConnection> {
    const { transport, port } = this.#config;
    const address = await this.#host.current();
    if (transport === 'udp') {
      const udp = this.deps.transports.udp;
      if (!udp) throw new Error(`The trunk uses UDP, but SIP over UDP is off on this server (SIP_UDP_PORT)`);
      const flow = udp.flowTo(address, port);
      this.#connection = flow;
      return flow;
    }
    const tcp = this.deps.transports.tcp;
    if (!tcp) throw new Error(`The trunk uses TCP, but SIP over TCP is off on this server (SIP_TCP_PORT)`);
    let connection: SipConnection;
    try {
      connection = await tcp.connectTo(address, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      throw new Error(`Could not connect to ${this.where} over TCP${code ? ` (${code})` : ''}`, {
        cause: error,
      });
    }
    if (this.#connection !== connection) {
      this.#connection = connection;
      connection.onClose(() => {
        if (this.#connection !== connection || this.#stopped) return;
        this.#connection = null;
        this.#registration?.connectionLost();
      });
    }
    return connection;
  }

  /** The request again with this trunk's credentials for the carrier's challenge (see TrunkRouter). */
  answerChallenge(request: SipRequest, challenge: SipResponse): SipRequest | null {
    const { auth } = this.#config;
    if (auth.kind !== 'register') return null;
    return answerRequestChallenge(request, challenge, auth, this.#counts);
  }

  /** Stops the keep-alive and un-REGISTERs (best effort, bounded wait). */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    // An OPTIONS in flight is let finish, so its transaction does not outlive the transport.
    const probing = this.#probing;
    const wait = Math.min(this.deps.timing.optionsTimeoutMs, this.deps.timing.unregisterWaitMs);
    await Promise.all([this.#registration?.stop(), probing && within(probing, wait)]);
    this.#closed = true;
  }

  /** One OPTIONS: any answer means reachable, none in time (or a transport error) down. */
  async #probe(): Promise<void> {
    this.#probeTimer = null;
    if (this.#stopped) return;
    const started = performance.now();
    const { optionsTimeoutMs, optionsIntervalMs } = this.deps.timing;
    let settled = false;
    let finished = () => {};
    this.#probing = new Promise((resolve) => (finished = resolve));
    const settle = (state: 'up' | 'down', problem: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      this.#probing = null;
      finished();
      if (this.#stopped) return;
      const elapsed = performance.now() - started;
      this.#checkedAt = new Date();
      this.#roundTripMs = state === 'up' ? Math.round(elapsed) : null;
      this.#state = state;
      this.#optionsProblem = problem;
      this.#changed();
      this.#probeTimer = setTimeout(() => void this.#probe(), Math.max(0, optionsIntervalMs - elapsed));
      this.#probeTimer.unref();
    };
    const timeout = setTimeout(
      () => settle('down', `No answer to OPTIONS from ${this.where} within ${secondsText(optionsTimeoutMs)}`),
      optionsTimeoutMs,
    );
    timeout.unref();
    let connection: SipConnection;
    try {
      connection = await this.connection();
    } catch (error) {
      settle('down', error instanceof Error ? error.message : String(error));
      return;
    }
    if (settled || this.#stopped) return;
    const request = this.#options(connection);
    const where = this.where;
    try {
      this.deps.layer.sendRequest(
        request,
        guardedConnection(connection, () => !this.#stopped),
        {
          onFinal: (response) =>
            settle(
              'up',
              response.status >= 500
                ? `${where} answered OPTIONS with ${response.status} ${response.reason}`
                : null,
            ),
          onTimeout: () =>
            settle('down', `No answer to OPTIONS from ${where} within ${secondsText(optionsTimeoutMs)}`),
          onTransportError: () =>
            settle('down', `Could not send OPTIONS to ${where} over ${connection.transport.toUpperCase()}`),
        },
      );
    } catch (error) {
      settle(
        'down',
        `Could not send OPTIONS to ${where}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  #options(connection: SipConnection): SipRequest {
    const { host, port, transport, auth, id } = this.#config;
    const target = `sip:${host}${port === 5060 ? '' : `:${port}`}${transport === 'tcp' ? ';transport=tcp' : ''}`;
    const from =
      auth.kind === 'register'
        ? `sip:${auth.username}@${host}`
        : `sip:${trunkContactUser(id)}@${this.deps.address.domain}`;
    return createUacRequest(this.deps.address, connection, {
      method: 'OPTIONS',
      uri: target,
      fromUri: from,
      toUri: target,
      contactUser: trunkContactUser(id),
    });
  }

  #signatureNow(): string {
    const status = this.status();
    return `${status.state}|${status.lastError ?? ''}|${status.registration?.state ?? ''}`;
  }

  #changed(): void {
    const signature = this.#signatureNow();
    if (signature === this.#signature) return;
    this.#signature = signature;
    this.deps.changed(this.#config.id);
  }
}

/** Resolves when `promise` does or after `ms`, whichever is first. */
function within(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
