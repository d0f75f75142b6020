import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MONITOR_HEADER } from '../../contracts/monitor-header';
import type { Seat } from '../../contracts/sip';
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
import { reply, type EdgeContext } from './edge-context';
import { LimitNotices } from './limit-notices';
import { toTagOf } from './message/message-fields';
import type { SipRequest } from './message/sip-message';
import { DialogRegistry, type CallDialog, type DialogSide } from './dialogs/call-dialog';
import { EdgeAddress } from './edge-address';
import { noMediaBridge } from './bridge/no-media-bridge';
import { ExternalNumbers } from './bridge/external-ring';
import { TrunkCalls } from './bridge/trunk-calls';
import { byeOnBehalf } from './proxy/edge-requests';
import { routeInDialog } from './proxy/in-dialog-router';
import { InviteProxy } from './proxy/invite-proxy';
import { MonitorSessions } from './proxy/monitor-sessions';
import { QueueEngine, type QueuePorts } from './queues/queue-engine';
import { QueueInvites } from './queues/queue-invites';
import { ALLOWED_METHODS, handleMessage, handleOptions } from './proxy/out-of-dialog';
import { refusalOf } from './proxy/request-validation';
import { CallRecorder } from './records/call-recorder';
import { canMix, LocationService, type Binding } from './registrar/location-service';
import { handleRegister } from './registrar/registrar';
import type { LiveDialog, SipControl } from './sip-control';
import { preAuthLimitsFor } from './transaction/pre-auth-budget';
import { TransactionLayer, type IncomingRequestContext } from './transaction/transaction-layer';
import { createWebSocketTransport, type WebSocketTransport } from './transport/websocket-transport';
import { LocalAddresses } from './transport/local-address';
import { createTcpTransport } from './transport/tcp-transport';
import type { SipConnection, SipTransport } from './transport/transport';
import { createUdpTransport } from './transport/udp-transport';
import type { NumberSource, TrunkRouter, TrunkSource, TrunkStatusBoard } from './trunks/trunk-config';
import { unknownTrunkStatus } from './trunks/trunk-link';
import { TrunkLinks } from './trunks/trunk-links';
import type { TrunkTiming } from './trunks/trunk-timing';

/** How long a connection whose registrations were dropped stays open for the phone to finish. */
const DROPPED_CONNECTION_CLOSE_MS = 2000;

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
   * free port). Rejects with a sentence naming the variable when a port cannot be had.
   */
  listen(): Promise<SipListening>;
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

/** The UDP and TCP ports the edge listens on (null: that transport is off). */
export interface SipListening {
  udp: number | null;
  tcp: number | null;
}

function listenFailure(variable: string, port: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const off = `or ${variable}=0 to turn it off`;
  if (code === 'EADDRINUSE') {
    return new Error(
      `${variable} ${port} is in use by another program; set ${variable} to a free port, ${off}.`,
    );
  }
  if (code === 'EACCES') {
    return new Error(
      `${variable} ${port} needs privileges this process lacks; choose a port above 1023, ${off}.`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`${variable} ${port} could not be listened on (${reason}); ${off}.`);
}

function presentSeat(binding: Binding): Seat {
  return {
    id: binding.id,
    userId: binding.userId,
    username: binding.username,
    displayName: binding.displayName,
    extension: binding.extension,
    profileId: binding.profileId,
    profileName: binding.profileName,
    since: binding.since.toISOString(),
    expiresAt: new Date(binding.expiresAt).toISOString(),
    userAgent: binding.userAgent,
    remoteAddress: binding.remoteAddress,
  };
}

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

  async function handleCancel(
    transaction: NonNullable<IncomingRequestContext['transaction']>,
    target: IncomingRequestContext['cancelTarget'],
    connection: SipConnection,
  ): Promise<void> {
    if (!target || target.connection !== connection) {
      return reply(transaction, 481, 'Call/Transaction Does Not Exist');
    }
    reply(transaction, 200, 'OK');
    const cancel = context.cancellables.get(target);
    if (cancel) cancel();
    else if (target.state === 'proceeding') reply(target, 487, 'Request Terminated');
  }

  async function route(request: SipRequest, incoming: IncomingRequestContext): Promise<void> {
    const { connection, transaction, cancelTarget } = incoming;
    if (request.method === 'ACK') {
      if (!hasToTag(request) || externals?.handleInDialog(request, null, connection)) return;
      if (!trunkCalls.handleInDialog(request, null, connection))
        await routeInDialog(context, request, null, connection);
      return;
    }
    if (!transaction) return;
    // RFC 3261 16.3: scheme, Max-Forwards, Proxy-Require (and Require where the edge is the
    // UAS) are checked before anything else, authentication included.
    const refusal = refusalOf(request);
    if (refusal) return reply(transaction, refusal.status, refusal.reason, refusal.headers);
    if (request.method === 'CANCEL') return handleCancel(transaction, cancelTarget, connection);
    if (hasToTag(request)) {
      if (externals?.handleInDialog(request, transaction, connection)) return;
      if (trunkCalls.handleInDialog(request, transaction, connection)) return;
      return routeInDialog(context, request, transaction, connection);
    }
    switch (request.method) {
      case 'REGISTER':
        return handleRegister(context, request, transaction, connection);
      case 'INVITE':
        if (transaction.kind !== 'invite') return;
        if (request.headers.has(MONITOR_HEADER))
          return monitors.handleInvite(request, transaction, connection);
        if (await queueInvites?.handle(request, transaction, connection)) return;
        if (await trunkCalls.handleInvite(request, transaction, connection)) return;
        return invites.handle(request, transaction, connection);
      case 'OPTIONS':
        return handleOptions(context, request, transaction, connection);
      case 'MESSAGE':
        return handleMessage(context, request, transaction, connection);
      case 'BYE':
      case 'UPDATE':
      case 'INFO':
      case 'PRACK':
      case 'NOTIFY':
        return reply(transaction, 481, 'Call/Transaction Does Not Exist');
      case 'SUBSCRIBE':
      case 'PUBLISH':
      case 'REFER':
        return reply(transaction, 405, 'Method Not Allowed', [['Allow', ALLOWED_METHODS]]);
      default:
        return reply(transaction, 501, 'Not Implemented', [['Allow', ALLOWED_METHODS]]);
    }
  }

  const transports: SipTransport[] = [transport, udp, tcp];
  for (const each of transports) layer.attach(each);
  layer.onRequest((request, incoming) => {
    route(request, incoming).catch((error: unknown) => {
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

  /**
   * A dropped registration ends at once (no call is offered to it); its connection closes a
   * moment later, so a phone that is signing out by itself (its sign-out is what dropped it)
   * finishes its un-REGISTER on an open socket instead of writing into a closing one.
   */
  const dropBinding = (binding: Binding): void => {
    location.remove(binding);
    const { connection } = binding;
    const closeIfUnused = () => {
      if (location.ofConnection(connection.id).length === 0) connection.close();
    };
    setTimeout(closeIfUnused, DROPPED_CONNECTION_CLOSE_MS).unref();
  };

  return {
    handleUpgrade: (request, socket, head) => transport.handleUpgrade(request, socket, head),
    live: {
      seatsInUse: (profileId) => location.seatsInUse(profileId),
      channelsInUse: (profileId) => dialogs.channelsInUse(profileId),
    },
    control: {
      listSeats: () =>
        [...location.all()].sort((a, b) => a.since.getTime() - b.since.getTime()).map(presentSeat),
      dropSeat(id) {
        const binding = location.get(id);
        if (!binding) return null;
        dropBinding(binding);
        return presentSeat(binding);
      },
      dropUser(userId) {
        for (const binding of location.ofUser(userId, 0)) dropBinding(binding);
      },
      liveDialogs: () => dialogs.all().flatMap(presentDialog),
      phonesOf(userId) {
        const bindings = location.ofUser(userId);
        return { registered: bindings.length > 0, canMix: bindings.some(canMix) };
      },
      registrationsOf: (userId) =>
        location
          .ofUser(userId)
          .sort((a, b) => a.since.getTime() - b.since.getTime())
          .map((binding) => ({
            deviceId: binding.deviceId,
            transport: binding.connection.transport,
            remoteAddress: binding.remoteAddress,
            userAgent: binding.userAgent,
            since: binding.since.toISOString(),
            expiresAt: new Date(binding.expiresAt).toISOString(),
          })),
      listeningPorts: () => listeningNow,
      dropDevice(deviceId) {
        for (const binding of [...location.all()]) if (binding.deviceId === deviceId) dropBinding(binding);
      },
    },
    dialogs: () => dialogs.all(),
    layer,
    trunkRouter: trunkLinks,
    trunkStatus: trunkLinks ?? { statusOf: () => unknownTrunkStatus() },
    async listen() {
      const listening: SipListening = { udp: null, tcp: null };
      const ownHosts = [config.host, ...LocalAddresses.all()];
      if (config.sipUdpPort !== null) {
        const port = config.sipUdpPort;
        const bound = await udp.listen(port, config.host).catch((error: unknown) => {
          throw listenFailure('SIP_UDP_PORT', port, error);
        });
        listening.udp = bound.port;
        context.address.listening('udp', bound.port, ownHosts);
      }
      if (config.sipTcpPort !== null) {
        const port = config.sipTcpPort;
        const bound = await tcp.listen(port, config.host).catch(async (error: unknown) => {
          await udp.close();
          throw listenFailure('SIP_TCP_PORT', port, error);
        });
        listening.tcp = bound.port;
        context.address.listening('tcp', bound.port, ownHosts);
      }
      // Trunk links send from the bound sockets, so they start once those are listening.
      await trunkLinks?.start({
        udp: listening.udp === null ? null : udp,
        tcp: listening.tcp === null ? null : tcp,
      });
      // With a trunk, the media bridge starts now rather than on the first call (trunks added
      // later start it with their first call).
      if ((trunkLinks?.count ?? 0) > 0) trunkCalls.media.start();
      listeningNow = listening;
      return listening;
    },
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

function presentDialog(dialog: CallDialog): LiveDialog[] {
  if (dialog.state === 'ended') return [];
  return [
    {
      id: dialog.id,
      callId: dialog.callId,
      state: dialog.state,
      startedAt: dialog.startedAt,
      answeredAt: dialog.answeredAt,
      caller: dialog.parties.caller,
      callee: dialog.parties.callee,
      monitor: dialog.monitor ? { targetId: dialog.monitor.target.id, mode: dialog.monitor.mode } : null,
    },
  ];
}

function hasToTag(request: SipRequest): boolean {
  return toTagOf(request) !== null;
}
