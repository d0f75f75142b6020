import { randomBytes } from 'node:crypto';
import {
  findClusterKamailio,
  prepareKamailioDatabase,
  startKamailio,
  type KamailioInstance,
} from './kamailio-process';
import { startPostgres, type ClusterPostgres } from './postgres';
import { startSwitchboard, type SwitchboardProcess } from './switchboard-process';

export type ClusterPorts = {
  postgres: number;
  servers: [number, number];
  websockets: [number, number];
  peers: [number, number];
};

export type Cluster = {
  databaseUrl: string;
  servers: SwitchboardProcess[];
  kamailios: KamailioInstance[];
  sharedSecret: string;
  stop(): Promise<void>;
};

/**
 * PostgreSQL, two Switchboard servers on it and two Kamailio instances in front, each Kamailio
 * asking its own server first and the other when its own cannot be reached: the scale topology
 * on one machine. The first server migrates and seeds;
 * the phones get SIP_WS_URLS, both Kamailio WebSocket URLs.
 */
export async function startCluster(options: {
  ports: ClusterPorts;
  sipDomain?: string;
  env?: Record<string, string>;
  echo?: (text: string) => void;
}): Promise<Cluster> {
  const found = findClusterKamailio();
  if ('missing' in found) throw new Error(found.missing);
  const { ports } = options;
  const sipDomain = options.sipDomain ?? 'switchboard.local';
  const sharedSecret = randomBytes(24).toString('base64url');
  // One loopback address per Kamailio, as separate machines would have: 127.0.0.1, 127.0.0.2.
  const addresses = ports.websockets.map((_, index) => `127.0.0.${index + 1}`);
  const wsUrls = ports.websockets.map((port, index) => `ws://${addresses[index] ?? ''}:${port}`);
  const started: { stop(): Promise<void> | void }[] = [];
  const stop = async () => {
    for (const piece of started.reverse()) await piece.stop();
  };
  let postgres: ClusterPostgres;
  try {
    postgres = startPostgres(ports.postgres);
    started.push(postgres);
    const servers: SwitchboardProcess[] = [];
    for (const [index, port] of ports.servers.entries()) {
      const server = await startSwitchboard({
        port,
        echo: index === 0 ? options.echo : undefined,
        env: {
          DATABASE_URL: postgres.url,
          SIP_DOMAIN: sipDomain,
          KAMAILIO_SHARED_SECRET: sharedSecret,
          SIP_WS_URLS: wsUrls.join(','),
          ...options.env,
        },
      });
      started.push(server);
      servers.push(server);
    }
    const { ephemeralSecret } = await prepareKamailioDatabase(postgres.url);
    const kamailios: KamailioInstance[] = [];
    for (const [index, wsPort] of ports.websockets.entries()) {
      const kamailio = await startKamailio({
        binary: found.binary,
        listenIp: addresses[index] ?? '127.0.0.1',
        wsPort,
        peerPort: ports.peers[index] ?? 0,
        databaseUrl: postgres.url,
        realm: sipDomain,
        // Its own server first, the others after: a server down does not refuse its phones.
        switchboardUrl: [...servers.slice(index), ...servers.slice(0, index)].map((s) => s.url).join(','),
        sharedSecret,
        ephemeralSecret,
        // A name of its own: started again under it, its earlier run's calls are ended at once.
        defines: [`INSTANCE_ID="cluster-${index + 1}"`],
      });
      started.push(kamailio);
      kamailios.push(kamailio);
    }
    return { databaseUrl: postgres.url, servers, kamailios, sharedSecret, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
