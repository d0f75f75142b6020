// `npm run bench:api` — latency percentiles and throughput of the admin API on a fresh database,
// served by the real app over loopback HTTP. Prints a table; nothing is asserted.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/log';
import { seedIfEmpty } from '../server/store/demo-seed';
import { freshTestDatabase } from '../server/store/test-database';
import { ms, percentile } from './percentiles';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

async function main(): Promise<void> {
  const database = await freshTestDatabase();
  const logins = await seedIfEmpty(database.db, { demo: true, sipRealm: 'bench.local' });
  const config = loadConfig({ LOG_LEVEL: 'error', SIGNIN_MAX_FAILURES: '1000000' });
  const { app } = createApp({ config, db: database.db, log: createLogger('error') });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = logins.find((l) => l.username === 'admin');
  if (!admin) throw new Error('seed made no admin');

  const signIn = () =>
    fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: admin.password }),
    });
  const cookie = (await signIn()).headers.get('set-cookie')?.split(';')[0] ?? '';

  const scenarios: [string, () => Promise<Response>, number][] = [
    ['GET /api/me', () => fetch(`${base}/api/me`, { headers: { cookie } }), REQUESTS],
    ['GET /api/profiles', () => fetch(`${base}/api/profiles`, { headers: { cookie } }), REQUESTS],
    ['GET /api/users?q=agent', () => fetch(`${base}/api/users?q=agent`, { headers: { cookie } }), REQUESTS],
    [
      'PATCH /api/profiles/1',
      () =>
        fetch(`${base}/api/profiles/1`, {
          method: 'PATCH',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ capacity: 10 + Math.floor(Math.random() * 90) }),
        }),
      REQUESTS / 4,
    ],
    ['POST /api/session (argon2id)', signIn, 100],
  ];

  console.log(`Switchboard API on ${database.kind}, ${CONCURRENCY} concurrent clients over loopback`);
  console.log('| request | n | p50 | p95 | p99 | req/s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, request, total] of scenarios) {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < total) {
          const t = performance.now();
          const response = await request();
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${name}: ${response.status}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `| ${name} | ${latencies.length} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} | ${(latencies.length / seconds).toFixed(0)} |`,
    );
  }
  console.log(`RSS after the run: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  server.close();
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
