import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app';
import { createContactCenter } from './contact-center/contact-center';
import { trunkSecretBox } from './auth/secret-box';
import { SessionCache } from './auth/session-cache';
import { DeviceDirectory } from './directory/device-directory';
import { Directory } from './directory/directory';
import { NumberDirectory } from './directory/number-directory';
import { storeTrunkSource } from './directory/trunk-source';
import { signInLimiterFor, type CounterStore } from './auth/sign-in-limiter';
import type { Config } from './config';
import { EventBus } from './events/event-bus';
import type { Logger } from './log';
import { createMediaBridge } from './media/create-media-bridge';
import type { MediaBridge } from './media/media-bridge';
import type { Relay } from './relay/relay';
import { createSipEdge, type SipEdge } from './sip/sip-edge';
import type { Db } from './store/database';

export type SwitchboardServer = {
  /** Not listening yet: call `server.listen(port)`. */
  server: Server;
  app: ReturnType<typeof createApp>['app'];
  deps: ReturnType<typeof createApp>['deps'];
  edge: SipEdge;
  /** The media bridge to trunks (rtpengine); nothing runs until its `start()`. */
  media: MediaBridge;
  /** Closes the SIP connections, then the HTTP server (the database stays open). */
  close(): Promise<void>;
};

/**
 * The HTTP app and the SIP edge on one Node HTTP server: the API and web app on plain
 * requests, SIP over WebSocket on upgrades to /sip. `index.ts` listens on it; tests build
 * one on a fresh database and listen on port 0.
 */
export function createSwitchboardServer(options: {
  config: Config;
  db: Db;
  log: Logger;
  relay?: Relay;
  /** Else the one the configuration asks for (RTPENGINE), not started. */
  media?: MediaBridge;
  /** With several servers on one PostgreSQL, the bridged bus (events/shared-database.ts); else a new one. */
  events?: EventBus;
  /** Where sign-in failures are counted: PostgreSQL with several servers, else memory. */
  counters?: CounterStore;
}): SwitchboardServer {
  const events = options.events ?? new EventBus();
  const media = options.media ?? createMediaBridge(options.config, options.log);
  // One limiter: a wrong password counts alike on the web sign-in and in a phone's REGISTER.
  const limiter = signInLimiterFor(options.config, options.counters);
  // The copies below reload in full every 30 s only when other processes may write the database
  // unheard: a shared PostgreSQL (then `events` is the bridged bus). PGlite's folder is this
  // process's alone and every change made here is an event, so no full reload: with 10 000 users
  // it held the edge's thread (PGlite runs on it) for 300 ms every 30 s, every lookup waiting.
  const refreshMs = options.events ? undefined : 0;
  // One copy of users and sessions in memory, for the API and the SIP edge alike.
  const directory = new Directory({ db: options.db, events, log: options.log, refreshMs });
  const sessions = new SessionCache({ db: options.db, events });
  // The edge links to the stored trunks (passwords opened) and reloads them on `trunk` events.
  const trunks = storeTrunkSource(options.db, trunkSecretBox(options.db), options.log);
  // Inbound trunk calls find whom a number rings here, without a query.
  const numbers = new NumberDirectory({ db: options.db, events, log: options.log, refreshMs });
  // Desk phones' own credentials and external numbers, for the registrar and incoming calls.
  const devices = new DeviceDirectory({ db: options.db, events, log: options.log });
  // Agent states, queues and the queue call log: the edge's queue engine moves and reads them,
  // the API shows them. They read the edge (phones, callers waiting) only when asked.
  const contactCenter = createContactCenter({
    db: options.db,
    events,
    directory,
    log: options.log,
    phones: () => edge.control,
    live: () => edge.queues,
  });
  const edge = createSipEdge({
    ...options,
    events,
    limiter,
    accounts: directory,
    sessions,
    trunks,
    media,
    numbers,
    queues: contactCenter.ports,
    devices,
  });
  const { app, deps } = createApp({
    ...options,
    events,
    live: edge.live,
    sip: edge.control,
    trunkStatus: edge.trunkStatus,
    media,
    limiter,
    directory,
    sessions,
    contactCenter,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.on('upgrade', (request, socket, head) => edge.handleUpgrade(request, socket, head));
  return {
    server,
    app,
    deps,
    edge,
    media,
    async close() {
      await edge.close();
      await media.close();
      await deps.recordings.close();
      contactCenter.close();
      directory.close();
      numbers.close();
      devices.close();
      sessions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.relay?.close();
    },
  };
}
