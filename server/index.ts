import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { createSwitchboardServer } from './create-server';
import { shareDatabase } from './events/shared-database';
import { createLogger } from './log';
import { startRelay } from './relay/relay';
import { loadCredentialSecret } from './sip/auth/credential-secret';
import { formatLogins, seedIfEmpty } from './store/demo-seed';
import { openConfiguredDatabase } from './store/open-configured';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const opened = await openConfiguredDatabase(config);
  log.info(
    opened.kind === 'postgres'
      ? 'Database: PostgreSQL (DATABASE_URL)'
      : `Database: PGlite in ${config.dataDir}`,
  );
  // Other servers may share a PostgreSQL: live events cross through LISTEN/NOTIFY and sign-in
  // failures are counted in it. PGlite is one process's: its bus and counters stay in memory.
  const shared =
    opened.kind === 'postgres' && config.databaseUrl
      ? await shareDatabase({ url: config.databaseUrl, log }).catch(async (error: unknown) => {
          await opened.close();
          throw error;
        })
      : undefined;
  const database = {
    ...opened,
    close: async () => {
      await shared?.close().catch(() => undefined);
      await opened.close();
    },
  };
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
  const switchboard = createSwitchboardServer({
    config,
    db: database.db,
    log,
    relay,
    events: shared?.events,
    counters: shared?.counters,
  });
  const { server } = switchboard;
  // SIP over UDP and TCP first: a port that cannot be had stops the start with a sentence.
  const sip = await switchboard.edge.listen().catch(async (error: unknown) => {
    await switchboard.close().catch(() => undefined);
    await database.close();
    throw error;
  });
  if (sip.udp !== null || sip.tcp !== null) {
    const on = [sip.udp === null ? null : `UDP ${sip.udp}`, sip.tcp === null ? null : `TCP ${sip.tcp}`];
    const named = config.sipAdvertisedHost ?? 'the address each phone reaches (SIP_ADVERTISED_HOST unset)';
    log.info(
      `SIP over ${on.filter(Boolean).join(' and ')} on ${config.host}; Via and Record-Route name ${named}`,
    );
  }
  server.keepAliveTimeout = 65_000;
  // Listen first, seed after: a port that cannot be had leaves the database as it was, and the
  // one-time logins are printed only by a server that is running.
  const port = await listen(server, config.port, config.host).catch(async (error: unknown) => {
    await switchboard.close().catch(() => undefined);
    await database.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `Port ${config.port} is in use by another program; set PORT to a free one.`
        : `Port ${config.port} on ${config.host} cannot be used: ${(error as Error).message}`,
    );
  });
  server.on('error', (error) => log.error('The HTTP server failed', error));
  const logins = await seedIfEmpty(database.db, { demo: config.seedDemo, sipRealm: config.sipDomain });
  if (logins.length) {
    // The directory loaded before these were written: tell it, as every change does.
    switchboard.deps.events.publish(
      { entity: 'profile', id: null },
      { entity: 'group', id: null },
      { entity: 'user', id: null },
    );
    await switchboard.deps.directory.settled();
    process.stdout.write(formatLogins(logins) + '\n');
  }
  process.stdout.write(`Switchboard is listening on http://localhost:${port}\n`);

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

/** Resolves with the port once the server listens; rejects when it cannot (EADDRINUSE…). */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Switchboard could not start: ${message}\n`);
  process.exit(1);
});
