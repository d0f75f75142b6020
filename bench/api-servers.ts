// `npm run bench:api:servers` — API throughput with one and with two Switchboard servers on one
// PostgreSQL (TEST_DATABASE_URL or BENCH_DATABASE_URL; .ci/start-postgres.sh starts one): real
// server processes (server/index.ts) on a fresh database, the clients (bench/load/http-load.ts)
// in this process. With two servers the same BENCH_API_CLIENTS (20) keep-alive clients are split
// between them, as a load balancer would. BENCH_API_ROUNDS (2) rounds of BENCH_API_SECONDS (5 s)
// per request and server count, alternating. Also how long a change made on a server takes to reach an `/api/events` stream on
// the same server and on the other one (LISTEN/NOTIFY). Prints tables; nothing is asserted.
import { cpus } from 'node:os';
import type { OutgoingHttpHeaders } from 'node:http';
import { ApiClient } from '../test/api/support/api-client';
import { openFreshDatabase } from '../test/api/support/fresh-database';
import { openEventStream } from '../test/api/support/sse';
import { startServer, type ServerProcess } from '../test/support/server-process';
import { getFor, keepAlive, type HttpRound } from './load/http-load';
import { ms, percentile } from './percentiles';

const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? 20);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 5);
const CHANGES = Number(process.env.BENCH_API_CHANGES ?? 50);

type Row = { name: string; rounds: HttpRound[] };

/** `clients` split over the servers, all running at once for `seconds`; one round, summed. */
async function spread(
  servers: readonly ServerProcess[],
  path: string,
  headers: OutgoingHttpHeaders,
  seconds: number,
): Promise<HttpRound> {
  const rounds = await Promise.all(
    servers.map((server, i) => {
      const share = Math.floor(CLIENTS / servers.length) + (i < CLIENTS % servers.length ? 1 : 0);
      const agent = keepAlive(share);
      return getFor(`${server.apiUrl}${path}`, headers, agent, share, seconds).finally(() => agent.destroy());
    }),
  );
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    seconds: Math.max(...rounds.map((r) => r.seconds)),
    latencies: rounds.flatMap((r) => r.latencies),
  };
}

/** Per request, rounds alternating: all clients on `one`, then split over `two`. */
async function throughput(
  one: readonly ServerProcess[],
  two: readonly ServerProcess[],
  cookie: string,
): Promise<[Row[], Row[]]> {
  const paths = ['/api/me', '/api/users'];
  const rows = (): Row[] => paths.map((path) => ({ name: `GET ${path}`, rounds: [] }));
  const [alone, together] = [rows(), rows()];
  for (const path of paths) await spread(two, path, { cookie }, 1); // warm-up
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, path] of paths.entries()) {
      alone[i]!.rounds.push(await spread(one, path, { cookie }, SECONDS));
      together[i]!.rounds.push(await spread(two, path, { cookie }, SECONDS));
    }
  return [alone, together];
}

/** Milliseconds from a PATCH answered by `from` to the change heard on `to`'s `/api/events`. */
async function eventDelays(from: ApiClient, to: ApiClient, userId: number): Promise<number[]> {
  const stream = await openEventStream(to);
  const delays: number[] = [];
  try {
    await stream.next((event) => event.event === 'ready');
    for (let i = 0; i < CHANGES; i++) {
      const patched = await from.patch(`/api/users/${userId}`, { json: { location: `Desk ${i}` } });
      if (patched.status !== 200) throw new Error(`PATCH answered ${patched.status}: ${patched.text}`);
      const answered = performance.now();
      await stream.next((event) => event.event === 'change' && event.data.includes(`"id":${userId}`));
      delays.push(performance.now() - answered);
    }
  } finally {
    await stream.close();
  }
  return delays;
}

function print(title: string, rows: Row[]): void {
  console.log(title);
  console.log('| request | n | req/s | p50 | p95 | p99 | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const latencies = row.rounds.flatMap((r) => r.latencies);
    const rate =
      row.rounds.reduce((n, r) => n + r.requests, 0) / row.rounds.reduce((s, r) => s + r.seconds, 0);
    const errors = row.rounds.reduce((n, r) => n + r.errors, 0);
    console.log(
      `| ${row.name} | ${latencies.length} | ${rate.toFixed(0)} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} | ${errors} |`,
    );
  }
}

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!process.env.TEST_DATABASE_URL) {
    console.error(
      'Set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to a PostgreSQL this bench may create a database on, e.g. by running .ci/start-postgres.sh.',
    );
    process.exit(1);
  }
  const database = await openFreshDatabase();
  const env = { DATABASE_URL: database.url!, LOG_LEVEL: 'error', SIGNIN_MAX_FAILURES: '1000000' };
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first seeds the demo and prints its logins.
    const a = await startServer({ buildWeb: false, env });
    servers.push(a);
    const password = a.logins.admin?.password;
    if (!password) throw new Error('The first server printed no admin login.');
    const onA = new ApiClient(a.apiUrl);
    const signedIn = await onA.signIn('admin', password);
    if (signedIn.status !== 200) throw new Error(`Sign-in answered ${signedIn.status}: ${signedIn.text}`);
    const cookie = onA.sessionCookie ?? '';
    const users = await onA.get<{ items?: { id: number; username: string }[] }>('/api/users?q=agent1');
    const target = users.body.items?.find((u) => u.username === 'agent1')?.id;
    if (target === undefined) throw new Error('The demo seed made no agent1.');

    const b = await startServer({ buildWeb: false, env });
    servers.push(b);
    const onB = new ApiClient(b.apiUrl);
    onB.sessionCookie = cookie;
    // Both run throughout; in the one-server rounds the second is idle.
    const [one, two] = await throughput([a], [a, b], cookie);
    const sameServer = await eventDelays(onA, onA, target);
    const otherServer = await eventDelays(onA, onB, target);

    console.log(
      `Switchboard API on PostgreSQL, ${CLIENTS} keep-alive clients over loopback (split between the servers), ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${SECONDS} s per request and server count, alternating; ${cpus().length} CPU cores shared by the servers, PostgreSQL and the clients`,
    );
    print('One server:', one);
    print('Two servers:', two);
    for (const [i, row] of two.entries()) {
      const rate = (r: Row) =>
        r.rounds.reduce((n, x) => n + x.requests, 0) / r.rounds.reduce((s, x) => s + x.seconds, 0);
      console.log(`${row.name}: two ÷ one (req/s) ${(rate(row) / rate(one[i]!)).toFixed(2)}`);
    }
    console.log(`A change (PATCH /api/users/:id) heard on /api/events, ${CHANGES} changes:`);
    console.log('| stream on | p50 | p95 | max |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, delays] of [
      ['the same server', sameServer],
      ['the other server (NOTIFY)', otherServer],
    ] as const)
      console.log(
        `| ${name} | ${ms(percentile(delays, 50))} | ${ms(percentile(delays, 95))} | ${ms(Math.max(...delays))} |`,
      );
  } finally {
    for (const server of servers) await server.stop();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
