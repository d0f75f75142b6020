// The server the SIP benches measure: the HTTP app and SIP edge on a fresh PGlite database,
// with one profile and `users` who sign in over SIP only (digest HA1s for `account`).
import type { SwitchboardServer } from '../../server/create-server';

export type BenchAccount = { domain: string; password: string };

export async function startBenchSwitchboard(
  users: string[],
  account: BenchAccount,
  /** Variables for loadConfig beside the bench's own (SIP_WEBSOCKET_WORKERS, say). */
  env: Record<string, string | undefined> = {},
): Promise<SwitchboardServer> {
  const [
    { loadConfig },
    { createLogger },
    { createSwitchboardServer },
    { freshTestDatabase },
    schema,
    { sipHa1 },
  ] = await Promise.all([
    import('../../server/config'),
    import('../../server/log'),
    import('../../server/create-server'),
    import('../../server/store/test-database'),
    import('../../server/store/schema'),
    import('../../server/auth/passwords'),
  ]);
  const { domain, password } = account;
  const database = await freshTestDatabase();
  const [profile] = await database.db
    .insert(schema.profiles)
    .values({ name: 'bench', capacity: 100_000, channelLimit: 300, flags: ['call'] })
    .returning({ id: schema.profiles.id });
  for (let start = 0; start < users.length; start += 1000) {
    const rows = users.slice(start, start + 1000).map((username, i) => ({
      username,
      displayName: username,
      extension: String(100_000 + start + i),
      role: 'agent' as const,
      profileId: profile?.id ?? null,
      // Never used to sign in to the web: the bench only speaks SIP.
      passwordHash: 'unused',
      ha1Md5: sipHa1(username, domain, password, 'MD5'),
      ha1Sha256: sipHa1(username, domain, password, 'SHA-256'),
      sipRealm: domain,
    }));
    await database.db.insert(schema.users).values(rows);
  }
  // Every bench client comes from loopback: no cap on sockets not yet signed in (Kamailio has none).
  const config = loadConfig({
    LOG_LEVEL: 'error',
    SIP_DOMAIN: domain,
    SIP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS: String(users.length * 2),
    ...env,
  });
  const switchboard = createSwitchboardServer({ config, db: database.db, log: createLogger('error') });
  return {
    ...switchboard,
    // The server's close leaves the database open, and an open PGlite keeps the process alive.
    async close() {
      await switchboard.close();
      await database.close();
    },
  };
}
