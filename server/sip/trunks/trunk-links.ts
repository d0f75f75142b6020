import type { TrunkStatus } from '../../../contracts/trunks';
import type { EventBus } from '../../events/event-bus';
import type { Logger } from '../../log';
import type { EdgeAddress } from '../edge-address';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { TransactionLayer } from '../transaction/transaction-layer';
import type { SipConnection } from '../transport/transport';
import { orderRoutes } from './route-order';
import type { TrunkConfig, TrunkRouter, TrunkSource, TrunkStatusBoard } from './trunk-config';
import { resolveWithSystem, type ResolveHost } from './trunk-host';
import { sameLink, TrunkLink, unknownTrunkStatus, type TrunkTransports } from './trunk-link';
import { defaultTrunkTiming, type TrunkTiming } from './trunk-timing';

export interface TrunkLinksOptions {
  source: TrunkSource;
  events: EventBus;
  log: Logger;
  layer: TransactionLayer;
  address: EdgeAddress;
  /** Shorter timings for tests. */
  timing?: Partial<TrunkTiming>;
  /** The system resolver unless given. */
  resolve?: ResolveHost;
}

/**
 * The edge's links to its trunks: loaded from the TrunkSource at start and again on every `trunk`
 * event (links whose address and authentication are unchanged keep running), and the TrunkRouter
 * and TrunkStatusBoard the call bridge and the API read. Publishes `{entity: 'trunk', id}` when a
 * trunk's state, problem or registration state changes.
 */
export class TrunkLinks implements TrunkRouter, TrunkStatusBoard {
  readonly #links = new Map<number, TrunkLink>();
  readonly #timing: TrunkTiming;
  readonly #resolve: ResolveHost;
  #transports: TrunkTransports = { udp: null, tcp: null };
  #unsubscribe: (() => void) | null = null;
  #loading: Promise<void> = Promise.resolve();
  #queued = false;
  #publishing = false;
  #closed = false;

  constructor(private readonly options: TrunkLinksOptions) {
    this.#timing = { ...defaultTrunkTiming, ...options.timing };
    this.#resolve = options.resolve ?? resolveWithSystem;
  }

  /** Starts on the transports the edge listens on; resolves once the trunks are loaded. */
  async start(transports: TrunkTransports): Promise<void> {
    if (this.#closed || this.#unsubscribe) return;
    this.#transports = transports;
    this.#unsubscribe = this.options.events.subscribe((event) => {
      // Our own status events are not changes of configuration.
      if (event.entity === 'trunk' && !this.#publishing) void this.reload();
    });
    await this.reload();
  }

  /** Loads the trunks again (queued behind a load in progress; several requests make one load). */
  reload(): Promise<void> {
    if (this.#queued) return this.#loading;
    this.#queued = true;
    this.#loading = this.#loading.then(() => {
      this.#queued = false;
      return this.#load();
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    if (this.#closed) return;
    let configs: TrunkConfig[];
    try {
      configs = await this.options.source.load();
    } catch (error) {
      this.options.log.warn('SIP edge: could not load the trunks; keeping the links it has', error);
      return;
    }
    if (this.#closed) return;
    const wanted = new Map(configs.map((config) => [config.id, config]));
    const ending: TrunkLink[] = [];
    for (const [id, link] of this.#links) {
      const config = wanted.get(id);
      if (config && sameLink(link.config, config)) link.update(config);
      else {
        ending.push(link);
        this.#links.delete(id);
      }
    }
    // The old registration is removed before a new one for the same Contact is made.
    await Promise.all(ending.map((link) => link.close()));
    if (this.#closed) return;
    for (const config of configs) {
      if (this.#links.has(config.id)) continue;
      const link = new TrunkLink(config, {
        layer: this.options.layer,
        address: this.options.address,
        transports: this.#transports,
        timing: this.#timing,
        resolve: this.#resolve,
        changed: (id) => this.#publish(id),
      });
      this.#links.set(config.id, link);
      link.start();
    }
  }

  #publish(id: number): void {
    if (this.#closed || this.#links.get(id) === undefined) return;
    this.#publishing = true;
    try {
      this.options.events.publish({ entity: 'trunk', id });
    } finally {
      this.#publishing = false;
    }
  }

  routesFor(e164: string): TrunkConfig[] {
    return orderRoutes(
      [...this.#links.values()].map((link) => link.config),
      e164,
      (id) => this.#links.get(id)?.state === 'down',
    );
  }

  /** Disabled trunks are nobody's: their requests are treated as any stranger's. */
  trunkOf(connection: SipConnection): TrunkConfig | null {
    if (connection.transport !== 'udp' && connection.transport !== 'tcp') return null;
    for (const link of this.#links.values()) if (link.owns(connection)) return link.config;
    return null;
  }

  connectionFor(trunk: TrunkConfig): Promise<SipConnection> {
    const link = this.#links.get(trunk.id);
    if (!link) return Promise.reject(new Error(`The trunk ${trunk.name} is no longer configured`));
    return link.connection();
  }

  answerChallenge(trunk: TrunkConfig, request: SipRequest, challenge: SipResponse): SipRequest | null {
    return this.#links.get(trunk.id)?.answerChallenge(request, challenge) ?? null;
  }

  isUp(trunkId: number): boolean {
    return this.#links.get(trunkId)?.state === 'up';
  }

  get count(): number {
    return this.#links.size;
  }

  statusOf(trunkId: number): TrunkStatus {
    return this.#links.get(trunkId)?.status() ?? unknownTrunkStatus();
  }

  /** Stops every link: keep-alives and refreshes end, registrations are removed (best effort). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    const links = [...this.#links.values()];
    this.#links.clear();
    await Promise.all(links.map((link) => link.close()));
  }
}
