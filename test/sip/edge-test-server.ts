import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../server/config';
import { createSwitchboardServer, type SwitchboardServer } from '../../server/create-server';
import type { SipListening } from '../../server/sip/sip-edge';
import { createLogger } from '../../server/log';
import type { Db } from '../../server/store/database';
import { seedIfEmpty } from '../../server/store/demo-seed';
import { freshTestDatabase } from '../../server/store/test-database';

export interface EdgeTestServer extends SwitchboardServer {
  config: Config;
  db: Db;
  /** http://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port/sip */
  wsUrl: string;
  /** The UDP and TCP ports SIP listens on, when the test asked for them. */
  sip: SipListening;
  /** The demo seed's passwords, by username. */
  passwords: Map<string, string>;
  stop(): Promise<void>;
}

/**
 * The real server (HTTP app + SIP edge) on a fresh seeded database, listening on port 0. SIP
 * over UDP and TCP stays off unless `sipUdpPort`/`sipTcpPort` are given (0: any free port).
 */
export async function startEdgeServer(overrides: Partial<Config> = {}): Promise<EdgeTestServer> {
  const database = await freshTestDatabase();
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'error', HOST: '127.0.0.1', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0' }),
    ...overrides,
  };
  const logins = await seedIfEmpty(database.db, { demo: true, sipRealm: config.sipDomain });
  const switchboard = createSwitchboardServer({
    config,
    db: database.db,
    log: createLogger(config.logLevel),
  });
  await new Promise<void>((resolve) => switchboard.server.listen(0, '127.0.0.1', resolve));
  const { port } = switchboard.server.address() as AddressInfo;
  const sip = await switchboard.edge.listen();
  return {
    ...switchboard,
    config,
    db: database.db,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sip`,
    sip,
    passwords: new Map(logins.map((l) => [l.username, l.password])),
    async stop() {
      await switchboard.close();
      await database.close();
    },
  };
}
