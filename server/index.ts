import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { formatLogins, seedIfEmpty } from './store/demo-seed';
import { openConfiguredDatabase } from './store/open-configured';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  log.info(
    database.kind === 'postgres' ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: PGlite in ${config.dataDir}`,
  );
  const logins = await seedIfEmpty(database.db, { demo: config.seedDemo, sipRealm: config.sipDomain });
  if (logins.length) process.stdout.write(formatLogins(logins) + '\n');

  const { app } = createApp({ config, db: database.db, log });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.keepAliveTimeout = 65_000;
  server.on('error', (error: NodeJS.ErrnoException) => {
    log.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is in use by another program; set PORT to a free one.`
        : 'The HTTP server failed',
      error.code === 'EADDRINUSE' ? undefined : error,
    );
    void database.close().finally(() => process.exit(1));
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(`Switchboard is listening on http://localhost:${port}\n`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    server.closeAllConnections();
    server.close(() => void database.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Switchboard could not start: ${message}\n`);
  process.exit(1);
});
