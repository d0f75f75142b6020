import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { trunkSecretBox } from './auth/secret-box';
import { SessionCache } from './auth/session-cache';
import { createContactCenter, type ContactCenter } from './contact-center/contact-center';
import type { QueueLive } from './contact-center/queue-ports';
import { signInLimiterFor, type SignInLimiter } from './auth/sign-in-limiter';
import { Directory } from './directory/directory';
import type { Config } from './config';
import { EventBus } from './events/event-bus';
import { noLiveCounts, type LiveCounts } from './events/live-counts';
import type { Logger } from './log';
import type { MediaBridgeStatus } from './media/media-bridge';
import { DatabaseRecordingStore } from './recordings/database-store';
import { FileRecordingStore } from './recordings/file-store';
import type { RecordingStore } from './recordings/recording-store';
import { RecordingService } from './recordings/recording-service';
import { configuredRelay, type Relay } from './relay/relay';
import { noSipControl, type SipControl } from './sip/sip-control';
import type { TrunkStatusBoard } from './sip/trunks/trunk-config';
import type { Db } from './store/database';
import type { AppEnv, Deps } from './http/app-env';
import { agentStateRoutes } from './http/agent-states/routes';
import { auditRoutes } from './http/audit/routes';
import { callRoutes } from './http/calls/routes';
import { eventRoutes } from './http/events/routes';
import { EventStreamLimits, STREAMS_PER_SESSION } from './http/events/stream-limits';
import { fixedHeaders, headersAddedBy } from './http/fixed-headers';
import { deviceRoutes } from './http/devices/routes';
import { groupRoutes } from './http/groups/routes';
import { HttpError, unauthenticated } from './http/http-error';
import { profileRoutes } from './http/profiles/routes';
import { queueCallRoutes } from './http/queue-calls/routes';
import { queueRoutes } from './http/queues/routes';
import { reasonCodeRoutes } from './http/reason-codes/routes';
import { reportRoutes } from './http/reports/routes';
import { sameOriginMutations } from './http/same-origin';
import { sessionRoutes } from './http/session/routes';
import { monitorRoutes } from './http/monitor/routes';
import { numberRoutes } from './http/numbers/routes';
import { creditRoutes } from './http/credit/routes';
import { RATE_IMPORT_PATH } from './http/rates/rate-csv';
import { rateRoutes } from './http/rates/routes';
import { isChunkUpload } from './http/recordings/chunk-path';
import { recordingRoutes } from './http/recordings/routes';
import { sipRoutes } from './http/sip/routes';
import { trunkRoutes } from './http/trunks/routes';
import { loadSession } from './http/signed-in';
import { userRoutes } from './http/users/routes';
import { webAppRoutes } from './http/web-app';
import { kamailioRoutes } from './http/kamailio/routes';
import { KamailioCalls } from './kamailio/kamailio-calls';
import { withKamailioCalls, withKamailioCounts } from './kamailio/with-kamailio';

export const MAX_BODY_BYTES = 64 * 1024;

export type AppOptions = {
  config: Config;
  db: Db;
  log: Logger;
  live?: LiveCounts;
  events?: EventBus;
  /** The SIP edge's seat control (see server/create-server.ts); none in API-only tests. */
  sip?: SipControl;
  /** Shared with the SIP edge when there is one; else the app makes its own. */
  directory?: Directory;
  sessions?: SessionCache;
  /** The password-guess limiter, shared with the SIP edge (see server/create-server.ts). */
  limiter?: SignInLimiter;
  /** The TURN relay (server/index.ts starts it); else the configured existing one or none. */
  relay?: Relay;
  /** The edge's trunk links' status (OPTIONS, registration); without it every trunk is `unknown`. */
  trunkStatus?: TrunkStatusBoard;
  /** The media bridge (rtpengine); without it the Trunks screen says what to install. */
  media?: { status(): MediaBridgeStatus };
  /**
   * Agent states and the queue call log, shared with the edge's queue engine; else the app
   * makes its own on `sip` (see createContactCenter).
   */
  contactCenter?: ContactCenter;
  /** Callers waiting, from the queue engine, when the app makes its own contact center. */
  queueLive?: QueueLive;
  /** Where recordings are kept; else PostgreSQL with DATABASE_URL, DATA_DIR/recordings without. */
  recordingStore?: RecordingStore;
};

/** Builds the HTTP app on a database; `index.ts` listens, tests call `app.request()` or serve it. */
export function createApp(options: AppOptions) {
  const events = options.events ?? new EventBus();
  const directory = options.directory ?? new Directory({ db: options.db, events, log: options.log });
  // Calls and phones through Kamailio (deploy/kamailio), when it is the SIP edge: see server/kamailio.
  const kamailio = new KamailioCalls({
    db: options.db,
    events,
    accounts: directory,
    log: options.log,
    enabled: options.config.kamailioSecret !== null,
    silenceMs: options.config.kamailioSilenceMs,
  });
  const sip = withKamailioCalls(options.sip ?? noSipControl, kamailio);
  const deps: Deps = {
    config: options.config,
    db: options.db,
    log: options.log,
    live: withKamailioCounts(options.live ?? noLiveCounts, kamailio),
    events,
    directory,
    sessions: options.sessions ?? new SessionCache({ db: options.db, events }),
    limiter: options.limiter ?? signInLimiterFor(options.config),
    eventStreams: new EventStreamLimits(
      STREAMS_PER_SESSION,
      options.config.eventStreamsPerAddress,
      options.log,
    ),
    sip,
    relay: options.relay ?? configuredRelay(options.config),
    trunkSecrets: trunkSecretBox(options.db),
    trunkStatus: options.trunkStatus,
    media: options.media,
    contactCenter:
      options.contactCenter ??
      createContactCenter({
        db: options.db,
        events,
        directory,
        log: options.log,
        phones: () => sip,
        live: () => options.queueLive,
      }),
    recordings: new RecordingService({
      db: options.db,
      store:
        options.recordingStore ??
        (options.config.databaseUrl
          ? new DatabaseRecordingStore(options.db)
          : new FileRecordingStore(path.join(options.config.dataDir, 'recordings'))),
      events,
      sip,
      log: options.log,
    }),
  };
  deps.recordings.start();

  const api = new OpenAPIHono<AppEnv>();
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HttpError(
        413,
        'payload_too_large',
        `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`,
      );
    },
  });
  // Reads carry no body; asking for one would build a full Request per GET (measured: 7 % of
  // GET /api/me in bench:api).
  api.use('*', (c, next) =>
    c.req.method === 'GET' ||
    c.req.method === 'HEAD' ||
    isChunkUpload(c.req.method, c.req.path) ||
    // A rate deck is larger than a JSON body; the import route checks its own limit.
    (c.req.method === 'PUT' && c.req.path === `/api${RATE_IMPORT_PATH}`)
      ? next()
      : limitBody(c, next),
  );
  api.use(
    '*',
    fixedHeaders([['cache-control', 'no-store']], async (c, next) => {
      c.header('Cache-Control', 'no-store');
      await next();
    }),
  );
  api.use('*', sameOriginMutations);
  api.use('*', loadSession);
  // Signed out, only these answer; everything else is a 401 before any validation runs.
  api.use('*', async (c, next) => {
    const publicRoute =
      c.req.path === '/api/health' || c.req.path === '/api/openapi.json' || c.req.path === '/api/session';
    if (!publicRoute && !c.get('signedIn')) throw unauthenticated();
    await next();
  });
  api.get('/health', (c) => c.json({ ok: true, database: deps.db ? 'up' : 'down' }));
  api.route('/', sessionRoutes);
  api.route('/', profileRoutes);
  api.route('/', userRoutes);
  api.route('/', groupRoutes);
  api.route('/', callRoutes);
  api.route('/', auditRoutes);
  api.route('/', eventRoutes);
  api.route('/', sipRoutes);
  api.route('/', monitorRoutes);
  api.route('/', trunkRoutes);
  api.route('/', numberRoutes);
  api.route('/', queueRoutes);
  api.route('/', reasonCodeRoutes);
  api.route('/', agentStateRoutes);
  api.route('/', queueCallRoutes);
  api.route('/', reportRoutes);
  api.route('/', recordingRoutes);
  api.route('/', deviceRoutes);
  api.route('/', creditRoutes);
  api.route('/', rateRoutes);
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sb_session',
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1',
      description:
        'Admin API of Switchboard. Sign in with POST /api/session; the session is an httpOnly cookie.',
    },
    servers: [{ url: '/api' }],
    security: [{ session: [] }],
  });
  api.all('*', () => {
    throw new HttpError(404, 'not_found', 'There is no such API route.');
  });

  const app = new OpenAPIHono<AppEnv>();
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      mediaSrc: ["'self'", 'blob:'],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
    },
    permissionsPolicy: { microphone: ['self'], camera: [] },
    // HSTS only when the app is served over HTTPS (COOKIE_SECURE=1).
    strictTransportSecurity: options.config.cookieSecure,
  });
  app.use('*', fixedHeaders(headersAddedBy(secure), secure));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.route('/api', api);
  app.route('/internal/kamailio', kamailioRoutes(kamailio));
  app.route('/', webAppRoutes(options.config.webDist));
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(error.toBody(), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      if (error.status === 415)
        return c.json(
          {
            error: {
              code: 'unsupported_media_type',
              message: 'Send the body as JSON, with Content-Type: application/json.',
            },
          },
          415,
        );
      const message = /json/i.test(error.message)
        ? 'The request body is not valid JSON.'
        : error.message || 'The request could not be understood.';
      return c.json({ error: { code: 'bad_request', message } }, 400);
    }
    deps.log.error(`${c.req.method} ${c.req.path} failed`, error);
    return c.json(
      {
        error: {
          code: 'internal',
          message: 'Something went wrong on the server; it has been logged. Please try again.',
        },
      },
      500,
    );
  });
  return { app, deps };
}
