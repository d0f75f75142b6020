import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SignInLimiter } from '../auth/sign-in-limiter';
import type { Config } from '../config';
import type { EventBus } from '../events/event-bus';
import type { LiveCounts } from '../events/live-counts';
import type { Logger } from '../log';
import type { MediaBridge } from '../media/media-bridge';
import type { Db } from '../store/database';
import type { AccountLookup, WebSessions } from './auth/account-lookup';
import type { DeviceLookup } from './auth/device-lookup';
import { Authenticator } from './auth/authenticator';
import { loadCredentialSecret } from './auth/credential-secret';
import { NonceManager } from './auth/nonce';
import { createSipControl } from './edge-control';
import { reply, type EdgeContext } from './edge-context';
import { listenOnSipPorts, type SipListening } from './edge-listen';
import { createRequestRouter } from './edge-router';
import { LimitNotices } from './limit-notices';
import { DialogRegistry, type CallDialog, type DialogSide } from './dialogs/call-dialog';
import { EdgeAddress } from './edge-address';
import { noMediaBridge } from './bridge/no-media-bridge';
import { ExternalNumbers } from './bridge/external-ring';
import { TrunkCalls } from './bridge/trunk-calls';
import { byeOnBehalf } from './proxy/edge-requests';
import { InviteProxy } from './proxy/invite-proxy';
import { MonitorSessions } from './proxy/monitor-sessions';
import { QueueEngine, type QueuePorts } from './queues/queue-engine';
import { QueueInvites } from './queues/queue-invites';
import { CallRecorder } from './records/call-recorder';
import { LocationService } from './registrar/location-service';
import type { SipControl } from './sip-control';
import { preAuthLimitsFor } from './transaction/pre-auth-budget';
import { TransactionLayer } from './transaction/transaction-layer';
import { createWebSocketTransport, type WebSocketTransport } from './transport/websocket-transport';
import { createTcpTransport } from './transport/tcp-transport';
import type { SipConnection, SipTransport } from './transport/transport';
import { createUdpTransport } from './transport/udp-transport';
import type { NumberSource, TrunkRouter, TrunkSource, TrunkStatusBoard } from './trunks/trunk-config';
import { unknownTrunkStatus } from './trunks/trunk-link';
import { TrunkLinks } from './trunks/trunk-links';
import type { TrunkTiming } from './trunks/trunk-timing';

export interface SipEdgeOptions {
  config: Config;
  db: Db;
  log: Logger;
  events: EventBus;
  /** Wrong digest answers count here per user and address: the web sign-in's limiter. */
  limiter: SignInLimiter;
  /** Users, profiles and memberships in memory (the server's Directory). */
  accounts: AccountLookup;
  sessions: WebSessions;
  /** The trunks to link to (registration, OPTIONS keep-alive); none without it. */
  trunks?: TrunkSource;
  /** Shorter trunk keep-alive and registration timings, for tests. */
  trunkTiming?: Partial<TrunkTiming>;
  /** The media bridge for trunk calls (rtpengine); without it trunk calls are refused. */
  media?: MediaBridge;
  /** Where inbound numbers ring; without it a carrier's call gets 404. */
  numbers?: NumberSource;
  /** Queues, agent states and the queue call log; without them no extension is a queue. */
  queues?: QueuePorts;
  /** Users' desk phones (their own credentials) and external numbers; none without it. */
  devices?: DeviceLookup;
}

export interface SipEdge {
  /** Give it the HTTP server's 'upgrade' events (path /sip, subprotocol sip). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly live: LiveCounts;
  readonly control: SipControl;
  /** Live calls (for the operator panel and tests). */
  dialogs(): CallDialog[];
  readonly layer: TransactionLayer;
  /** The trunks as the call bridge uses them (null without a TrunkSource); loaded by listen(). */
  readonly trunkRouter: TrunkRouter | null;
  /** Each trunk's status for the console (`unknown` for all without a TrunkSource). */
  readonly trunkStatus: TrunkStatusBoard;
  /**
   * Binds SIP over UDP and TCP on HOST (SIP_UDP_PORT, SIP_TCP_PORT; 0 in a test config: any
   * free port) and starts the WebSocket socket workers. Rejects with a sentence naming the
   * variable when a port cannot be had.
   */
  listen(): Promise<SipListening>;
  /**
   * Starts the socket workers (SIP_WEBSOCKET_WORKERS) without binding UDP and TCP; otherwise
   * they start at the first WebSocket. Resolves once they are ready or failed to start.
   */
  startWorkers(): Promise<void>;
  /** Resolves when every call record write so far has settled. */
  recordsIdle(): Promise<void>;
  /** Calls over trunks, bridged through the media bridge. */
  readonly trunkCalls: TrunkCalls;
  /** Users' external numbers rung beside their phones (null: the edge has no devices). */
  readonly externals: ExternalNumbers | null;
  /** The queue engine (null without QueuePorts): callers waiting (QueueLive), `enqueue` for the bridge. */
  readonly queues: QueueEngine | null;
  close(): Promise<void>;
}

export type { SipListening } from './edge-listen';

/**
 * The SIP-over-WebSocket edge: a registrar and a record-routing proxy on the RFC 3261
 * transaction layer, with its state (bindings, dialogs) in memory and call records in the
 * database. Nothing starts until an HTTP server hands it upgrades.
 */
export function createSipEdge(options: SipEdgeOptions): SipEdge {
  const { config, db, log, events, accounts, sessions } = options;
  const reportError = (error: unknown) => log.error('SIP edge error', error);
  const limitNotices = new LimitNotices(log);
  const transport: WebSocketTransport = createWebSocketTransport({
    path: '/sip',
    keepAliveMs: config.sipKeepAliveMs,
    maxUnauthenticatedPerAddress: config.sipUnauthenticatedSocketsPerAddress,
    workers: config.sipWebSocketWorkers,
    onWorkerTrouble: (sentence) => log.warn(sentence),
    onLimit: (address, sentence) => limitNotices.say(address, sentence),
    onError: (error) => log.debug(`SIP transport: ${error instanceof Error ? error.message : String(error)}`),
  });
  const onTransportError = (error: unknown) =>
    log.debug(`SIP transport: ${error instanceof Error ? error.message : String(error)}`);
  const udp = createUdpTransport({ onError: onTransportError });
  const tcp = createTcpTransport({
    maxUnauthenticatedPerAddress: config.sipUnauthenticatedSocketsPerAddress,
    onLimit: (address, sentence) => limitNotices.say(address, sentence),
    onError: onTransportError,
  });
  const layer = new TransactionLayer({
    onError: reportError,
    preAuth: preAuthLimitsFor(config.sipUnauthenticatedSocketsPerAddress),
    onLimit: ({ remoteAddress, remotePort }, sentence) =>
      limitNotices.say(
        remoteAddress,
        `closed the connection from ${remoteAddress}:${remotePort}, which sent ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`,
      ),
  });
  const location = new LocationService();
  const dialogs = new DialogRegistry();
  let secret: Promise<string> | undefined;
  const ephemeralSecret = () => {
    secret ??= loadCredentialSecret(db).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };
  const nonces = new NonceManager({
    secret: randomBytes(32),
    lifetimeSeconds: config.sipNonceSeconds,
  });
  const address = new EdgeAddress(config.sipDomain, config.sipAdvertisedHost);
  const trunkLinks = options.trunks
    ? new TrunkLinks({ source: options.trunks, events, log, layer, address, timing: options.trunkTiming })
    : null;
  const context: EdgeContext = {
    config,
    log,
    events,
    layer,
    location,
    accounts,
    sessions,
    auth: new Authenticator({
      realm: config.sipDomain,
      nonces,
      accounts,
      ephemeralSecret,
      maxEphemeralTtlSeconds: config.sipCredentialTtlSeconds + 300,
      limiter: options.limiter,
      devices: options.devices,
    }),
    dialogs,
    recorder: new CallRecorder(db, events, log),
    address,
    trunks: trunkLinks,
    cancellables: new Map(),
    media: options.media,
    monitorModeChange: (dialog, sender, request) => monitors.modeChange(dialog, sender, request),
  };
  const invites = new InviteProxy(context);
  const queues = options.queues ? new QueueEngine(context, options.queues) : null;
  const trunkCalls = new TrunkCalls(context, {
    media:
      options.media ??
      noMediaBridge('This server runs without a media bridge, so it cannot bridge trunk calls'),
    numbers: options.numbers ?? null,
    db,
    queues,
  });
  const externals = options.devices
    ? new ExternalNumbers(context, {
        devices: options.devices,
        media: trunkCalls.media,
        charging: trunkCalls.charging,
        db,
      })
    : null;
  invites.externals = externals;
  trunkCalls.externals = externals;
  const monitors = new MonitorSessions(context, invites, db);
  const queueInvites = queues ? new QueueInvites(context, invites, queues) : null;

  // Seats and channels in use change with these; panels showing profiles refresh on them too.
  // (No `profile` event here: that means "settings changed" and would empty the account cache.)
  location.onChange((binding) => events.publish({ entity: 'registration', id: binding.id }));
  // A change of users, profiles or groups may take away what a running monitor session needs.
  const stopRechecks = events.subscribe((event) => {
    if (event.entity !== 'user' && event.entity !== 'profile' && event.entity !== 'group') return;
    if (!dialogs.all().some((dialog) => dialog.monitor)) return;
    monitors.recheck().catch(reportError);
  });
  dialogs.onChange((dialog) => {
    if (!dialog.active) monitors.callEnded(dialog);
    events.publish({ entity: 'call', id: dialog.id });
  });

  /** The party that left did not come back in time: the other one gets BYE. */
  function graceExpired(dialog: CallDialog, side: DialogSide): void {
    side.graceTimer = null;
    if (!dialog.active || (side.connection && !side.connection.closed)) return;
    const callee = dialog.callee;
    if (!callee) return;
    const other = side === dialog.caller ? callee : dialog.caller;
    byeOnBehalf(context, dialog, other, 'SIP;cause=480;text="The other party lost its connection"');
    dialogs.end(dialog, 'answered', `${side.username} lost the connection`);
  }

  function connectionClosed(connection: SipConnection): void {
    location.removeConnection(connection.id);
    invites.connectionClosed(connection);
    trunkCalls.connectionClosed(connection);
    for (const { dialog, side } of dialogs.sidesOn(connection)) {
      if (dialog.state !== 'answered') continue;
      side.connection = null;
      if (side.graceTimer) clearTimeout(side.graceTimer);
      side.graceTimer = setTimeout(() => graceExpired(dialog, side), config.sipGraceMs);
    }
  }

  const route = createRequestRouter({ context, invites, monitors, queueInvites, trunkCalls, externals });
  const transports: SipTransport[] = [transport, udp, tcp];
  for (const each of transports) layer.attach(each);
  // A handler that throws at once is reported and answered by the layer; one that rejects, here.
  layer.onRequest((request, incoming) => {
    route(request, incoming)?.catch((error: unknown) => {
      reportError(error);
      const { transaction } = incoming;
      if (transaction && transaction.lastResponse === null) {
        reply(transaction, 500, 'Server Internal Error');
      }
    });
  });
  for (const each of transports) {
    each.onConnection((connection) => {
      connection.onClose(() => connectionClosed(connection));
    });
  }

  let listeningNow: SipListening | null = null;
  const sweep = setInterval(() => location.sweep(), 1000);
  sweep.unref();

  return {
    handleUpgrade: (request, socket, head) => transport.handleUpgrade(request, socket, head),
    live: {
      seatsInUse: (profileId) => location.seatsInUse(profileId),
      channelsInUse: (profileId) => dialogs.channelsInUse(profileId),
    },
    control: createSipControl(location, dialogs, () => listeningNow),
    dialogs: () => dialogs.all(),
    layer,
    trunkRouter: trunkLinks,
    trunkStatus: trunkLinks ?? { statusOf: () => unknownTrunkStatus() },
    async listen() {
      const listening = await listenOnSipPorts(config, udp, tcp, context.address);
      // Trunk links send from the bound sockets, so they start once those are listening.
      await trunkLinks?.start({
        udp: listening.udp === null ? null : udp,
        tcp: listening.tcp === null ? null : tcp,
      });
      // With a trunk, the media bridge starts now rather than on the first call (trunks added
      // later start it with their first call).
      if ((trunkLinks?.count ?? 0) > 0) trunkCalls.media.start();
      // Phones reconnect as soon as a server is back: the workers should be there to take them.
      await transport.startWorkers();
      listeningNow = listening;
      return listening;
    },
    startWorkers: () => transport.startWorkers(),
    recordsIdle: () => context.recorder.idle(),
    trunkCalls,
    externals,
    queues,
    async close() {
      clearInterval(sweep);
      stopRechecks();
      queues?.close();
      // Before the transports close: the un-REGISTERs go out on them.
      await externals?.close();
      await trunkCalls.close();
      await trunkLinks?.close();
      await Promise.all([transport.close(), udp.close(), tcp.close()]);
      for (const dialog of dialogs.all()) dialogs.end(dialog, 'failed', 'The server stopped');
      await context.recorder.idle();
    },
  };
}
