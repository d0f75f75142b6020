import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from '../../../server/app';
import { loadConfig, type Config } from '../../../server/config';
import type { EventBus } from '../../../server/events/event-bus';
import { createLogger } from '../../../server/log';
import type { Db } from '../../../server/store/database';
import { seedIfEmpty, type Login } from '../../../server/store/demo-seed';
import { ApiClient } from './api-client';
import { openFreshDatabase } from './fresh-database';

export type TestServer = {
  url: string;
  db: Db;
  kind: 'pglite' | 'postgres';
  config: Config;
  events: EventBus;
  /** The demo logins seeded on the fresh database, by username. */
  logins: Record<string, Login>;
  /** A signed-out client. */
  client(): ApiClient;
  /** A client signed in as a demo user (or any user, with its password). */
  signIn(username: string, password?: string): Promise<ApiClient>;
  close(): Promise<void>;
};

export type TestServerOptions = {
  /** Environment for `loadConfig`, e.g. `{ SIGNIN_MAX_FAILURES: '3' }`. */
  env?: Record<string, string>;
  /** What the SIP edge would hand the app (its trunk status, the media bridge), or another logger. */
  app?: Partial<Pick<AppOptions, 'trunkStatus' | 'media' | 'log'>>;
};

/** The real app, on a fresh seeded database, listening on 127.0.0.1 on a free port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', ...options.env });
  const database = await openFreshDatabase();
  let server: Server | undefined;
  try {
    const seeded = await seedIfEmpty(database.db, { demo: true, sipRealm: config.sipDomain });
    const logins = Object.fromEntries(seeded.map((login) => [login.username, login]));
    const { app, deps } = createApp({
      config,
      db: database.db,
      log: createLogger(config.logLevel),
      ...options.app,
    });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      ) as Server;
    });
    const url = `http://127.0.0.1:${port}`;
    const listening = server;
    return {
      url,
      db: database.db,
      kind: database.kind,
      config,
      events: deps.events,
      logins,
      client: () => new ApiClient(url),
      async signIn(username, password) {
        const client = new ApiClient(url);
        const secret = password ?? logins[username]?.password;
        if (secret === undefined) throw new Error(`No password known for ${username}`);
        const response = await client.signIn(username, secret);
        if (response.status !== 200)
          throw new Error(`Sign-in as ${username} answered ${response.status}: ${response.text}`);
        return client;
      },
      async close() {
        if (listening) {
          listening.closeAllConnections();
          await new Promise<void>((resolve) => listening.close(() => resolve()));
        }
        await database.close();
      },
    };
  } catch (error) {
    server?.close();
    await database.close();
    throw error;
  }
}
