// What `npm run bench:kamailio` measures, started the way `npm run cluster` starts it (the pieces
// in scripts/cluster): a throwaway PostgreSQL, one Switchboard server on it, users with SIP
// credentials made through its API, and two Kamailio instances running deploy/kamailio/kamailio.cfg
// — one as deployed (REGISTER asks the server's policy), one with WITHOUT_REGISTER_POLICY.
import { ApiClient } from '../../test/api/support/api-client';
import { freePort, parseLogins } from '../../test/support/server-process';
import {
  findClusterKamailio,
  prepareKamailioDatabase,
  startKamailio,
  type KamailioInstance,
} from '../../scripts/cluster/kamailio-process';
import { findPostgres, startPostgres } from '../../scripts/cluster/postgres';
import { startSwitchboard, type SwitchboardProcess } from '../../scripts/cluster/switchboard-process';

export const BENCH_DOMAIN = 'switchboard.local';

/** Why the bench cannot run here, in one sentence saying what to install (null when it can). */
export function registerStackMissing(): string | null {
  const kamailio = findClusterKamailio();
  if ('missing' in kamailio) return kamailio.missing;
  return findPostgres() ? null : 'PostgreSQL is not installed: apt-get install postgresql';
}

export type RegisterStack = {
  server: SwitchboardProcess;
  /** The postmaster's process id, for its CPU time. */
  postgresPid(): number | null;
  /** Deployed: REGISTER asks POST /internal/kamailio/policy. */
  withPolicy: KamailioInstance;
  /** The same file with -A WITHOUT_REGISTER_POLICY. */
  withoutPolicy: KamailioInstance;
  /** bench0 … bench<n-1> and the password the API gave each. */
  passwords: Map<string, string>;
  about: string;
  stop(): Promise<void>;
};

type Created = { user?: { username: string }; password?: string };

/** `count` agents on one profile with room for all of them, through POST /api/users. */
async function createUsers(api: ApiClient, count: number): Promise<Map<string, string>> {
  const profile = await api.post<{ id?: number }>('/api/profiles', {
    json: { name: 'bench', capacity: Math.max(1, count), channelLimit: 300, flags: ['call'] },
  });
  if (profile.status !== 201 || profile.body.id === undefined)
    throw new Error(`POST /api/profiles answered ${profile.status}: ${profile.text}`);
  const passwords = new Map<string, string>();
  const names = Array.from({ length: count }, (_, i) => `bench${i}`);
  // A few at a time: each password is hashed with argon2 on the server.
  for (let start = 0; start < names.length; start += 8) {
    await Promise.all(
      names.slice(start, start + 8).map(async (username, i) => {
        const created = await api.post<Created>('/api/users', {
          json: {
            username,
            displayName: `Bench ${username}`,
            extension: String(100_000 + start + i),
            profileId: profile.body.id,
          },
        });
        if (created.status !== 201 || !created.body.password)
          throw new Error(`POST /api/users answered ${created.status}: ${created.text}`);
        passwords.set(username, created.body.password);
      }),
    );
  }
  return passwords;
}

/**
 * Starts everything; on any failure stops what it started and throws. Ctrl-C stops it too, from
 * the first piece on: PostgreSQL (pg_ctl) and Kamailio (its own process group) outlive the bench.
 */
export async function startRegisterStack(users: number): Promise<RegisterStack> {
  const found = findClusterKamailio();
  if ('missing' in found) throw new Error(found.missing);
  const started: { stop(): Promise<void> | void }[] = [];
  const interrupted = () => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const stop = async () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const piece of started.reverse()) await piece.stop();
    started.length = 0;
  };
  try {
    // Always a throwaway cluster: the bench writes users and registrations.
    const postgres = startPostgres(await freePort(), '');
    started.push(postgres);
    const sharedSecret = 'bench-shared-secret';
    let output = '';
    const server = await startSwitchboard({
      port: await freePort(),
      echo: (text) => {
        output += text;
      },
      env: {
        DATABASE_URL: postgres.url,
        SIP_DOMAIN: BENCH_DOMAIN,
        KAMAILIO_SHARED_SECRET: sharedSecret,
        LOG_LEVEL: 'error',
      },
    });
    started.push(server);
    const admin = parseLogins(output).admin;
    if (!admin) throw new Error('The server printed no admin login.');
    const api = new ApiClient(server.url);
    const signedIn = await api.signIn('admin', admin.password);
    if (signedIn.status !== 200) throw new Error(`Sign-in answered ${signedIn.status}: ${signedIn.text}`);
    const passwords = await createUsers(api, users);

    const { ephemeralSecret } = await prepareKamailioDatabase(postgres.url);
    const kamailio = async (listenIp: string, defines: string[]) => {
      const instance = await startKamailio({
        binary: found.binary,
        listenIp,
        wsPort: await freePort(),
        peerPort: await freePort(),
        databaseUrl: postgres.url,
        realm: BENCH_DOMAIN,
        switchboardUrl: server.url,
        sharedSecret,
        ephemeralSecret,
        defines,
      });
      started.push(instance);
      return instance;
    };
    // Two addresses, as two machines would have (registrar's path_check_local tells them apart).
    const withPolicy = await kamailio('127.0.0.1', []);
    const withoutPolicy = await kamailio('127.0.0.2', ['WITHOUT_REGISTER_POLICY']);
    return {
      server,
      postgresPid: () => postgres.pid(),
      withPolicy,
      withoutPolicy,
      passwords,
      about: `deploy/kamailio/kamailio.cfg (children=2, tcp_children=4, usrloc db_mode 3, auth_db on the kamailio_subscriber view) on a throwaway PostgreSQL; one Switchboard server; ${users} users made through POST /api/users`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
