// `npm run cluster`: PostgreSQL, two Switchboard servers and two Kamailio instances on this
// machine (the topology of README "Running more than one server"); Ctrl-C stops them all.
// DATABASE_URL uses that PostgreSQL instead of a throwaway one; CLUSTER_PORT moves the ports.
import { findClusterKamailio } from './cluster/kamailio-process';
import { findPostgres, HOW_TO_GET_POSTGRES } from './cluster/postgres';
import { startCluster } from './cluster/cluster';

const base = Number(process.env.CLUSTER_PORT ?? 8080);
const kamailio = findClusterKamailio();
if ('missing' in kamailio) {
  console.error(kamailio.missing);
  process.exit(1);
}
if (!process.env.DATABASE_URL && !findPostgres()) {
  console.error(HOW_TO_GET_POSTGRES);
  process.exit(1);
}

try {
  const cluster = await startCluster({
    ports: {
      postgres: base + 1000 - 7,
      servers: [base, base + 1],
      websockets: [base - 3014, base - 3013],
      peers: [base - 3010, base - 3009],
    },
    echo: (text) => process.stdout.write(text),
  });
  console.log(
    [
      '',
      'Switchboard cluster is up:',
      `  web app and API  ${cluster.servers.map((s) => s.url).join('  ')}`,
      `  SIP (WebSocket)  ${cluster.kamailios.map((k) => k.url).join('  ')}  (Kamailio)`,
      `  PostgreSQL       ${cluster.databaseUrl}`,
      'Press Ctrl-C to stop them all.',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the cluster…');
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
