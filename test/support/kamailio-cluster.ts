import { findClusterKamailio } from '../../scripts/cluster/kamailio-process';
import { findPostgres, HOW_TO_GET_POSTGRES } from '../../scripts/cluster/postgres';
import { startCluster, type Cluster } from '../../scripts/cluster/cluster';
import type { SwitchboardProcess } from '../../scripts/cluster/switchboard-process';
import { freePort, parseLogins, type DemoLogin } from './server-process';

// The scale topology for tests (npm run cluster on free ports): PostgreSQL, two Switchboard
// servers, two Kamailio instances. Shared by the raw-SIP and the browser cluster tests.

/** Why the cluster cannot run here, in one sentence (null when Kamailio and PostgreSQL are installed). */
export function kamailioClusterMissing(): string | null {
  const kamailio = findClusterKamailio();
  if ('missing' in kamailio) return kamailio.missing;
  return findPostgres() ? null : HOW_TO_GET_POSTGRES;
}

/** A running cluster and the demo logins its first server printed (both servers share them). */
export type TestCluster = Cluster & { logins: Record<string, DemoLogin> };

/** Starts the cluster on free loopback ports (`env`: more for both servers); `stop()` ends every process it started. */
export async function startTestCluster(env?: Record<string, string>): Promise<TestCluster> {
  let output = '';
  const cluster = await startCluster({
    ports: {
      postgres: await freePort(),
      servers: [await freePort(), await freePort()],
      websockets: [await freePort(), await freePort()],
      peers: [await freePort(), await freePort()],
    },
    env,
    echo: (text) => {
      output += text;
    },
  });
  return { ...cluster, logins: parseLogins(output) };
}

/** One cluster server as the browser helpers sign in to it (phone-page.ts `launchAgent`). */
export function signInTarget(server: SwitchboardProcess, cluster: TestCluster) {
  return { url: server.url, logins: cluster.logins, output: server.output };
}
