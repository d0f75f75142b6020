import { ConfigError, loadConfig } from './config';
import { createSwitchboardServer } from './create-server';
import { createLogger } from './log';
import { startRelay } from './relay/relay';
import { loadCredentialSecret } from './sip/auth/credential-secret';
import { formatLogins, seedIfEmpty } from './store/demo-seed';
import { openConfiguredDatabase } from './store/open-configured';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  log.info(
    database.kind === 'postgres'
      ? 'Database: PostgreSQL (DATABASE_URL)'
      : `Database: PGlite in ${config.dataDir}`,
  );
  const logins = await seedIfEmpty(database.db, { demo: config.seedDemo, sipRealm: config.sipDomain });
  if (logins.length) process.stdout.write(formatLogins(logins) + '\n');

  // TURN=spawn: coturn runs beside this server, supervised, until it stops.
  const relay = await startRelay({
    config,
    log,
    sipCredentialSecret: () => loadCredentialSecret(database.db),
  }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  // The HTTP app and the SIP edge share this server: upgrades to /sip are SIP over WebSocket.
  const switchboard = createSwitchboardServer({ config, db: database.db, log, relay });
  const { server } = switchboard;
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
    void switchboard
      .close()
      .catch(() => undefined)
      .finally(() => void database.close().finally(() => process.exit(0)));
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
