// `npm run bench:api` — the admin API's req/s and latency against a ceiling: the real app on a
// fresh seeded database in a child process, the clients (bench/load/http-load.ts) in this one.
// In the same run a bare `node:http` server in that child answers the same JSON bytes as
// GET /api/me: what Node itself does on this machine. BENCH_API_ROUNDS (2) rounds of
// BENCH_API_SECONDS (5 s) per request, alternating, BENCH_API_CLIENTS (20) keep-alive clients.
// Prints a table; nothing is asserted. BENCH_API_PROFILE=dir writes the server child's CPU
// profile of each round there (<request>-<round>.cpuprofile; the profiler slows the rounds).
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Agent, OutgoingHttpHeaders, Server } from 'node:http';
import { getFor, keepAlive, type HttpRound } from './load/http-load';
import { ms, percentile } from './percentiles';

const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? process.env.BENCH_CONCURRENCY ?? 20);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 5);
const PROFILE_DIR = process.env.BENCH_API_PROFILE;
/** Longer than the other requests' rounds, so no pool's connections close between its own rounds. */
const IDLE_MS = (SECONDS * 3 + 5) * 1000;

type FromServer =
  | { kind: 'listening'; port: number; database: string; admin: { username: string; password: string } }
  | { kind: 'ceiling'; port: number }
  | { kind: 'cpu'; micros: number }
  | { kind: 'profile-start' }
  | { kind: 'profile-stop' };

// ---------------------------------------------------------------- servers (child process)

async function serve(): Promise<void> {
  process.on('disconnect', () => process.exit(0)); // the bench ended or was interrupted
  const [
    { serve: listen },
    { createApp },
    { loadConfig },
    { createLogger },
    { seedIfEmpty },
    { freshTestDatabase },
  ] = await Promise.all([
    import('@hono/node-server'),
    import('../server/app'),
    import('../server/config'),
    import('../server/log'),
    import('../server/store/demo-seed'),
    import('../server/store/test-database'),
  ]);
  const database = await freshTestDatabase();
  const logins = await seedIfEmpty(database.db, { demo: true, sipRealm: 'bench.local' });
  const admin = logins.find((l) => l.username === 'admin');
  if (!admin) throw new Error('The demo seed made no admin.');
  const config = loadConfig({ LOG_LEVEL: 'error', SIGNIN_MAX_FAILURES: '1000000' });
  const { app } = createApp({ config, db: database.db, log: createLogger('error') });
  const server = listen({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  // Each pool idles while the other requests' rounds run (10 s); past Node's 5 s keep-alive the
  // server's close could cross a round's first request (seen: ECONNRESET, the bench died).
  (server as Server).keepAliveTimeout = IDLE_MS;
  server.once('listening', () => {
    const { port } = server.address() as AddressInfo;
    process.send?.({ kind: 'listening', port, database: database.kind, admin } satisfies FromServer);
  });
  const inspector = new Session();
  process.on('message', async (message: { kind: string; body?: string; file?: string }) => {
    if (message.kind === 'profile-start') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      process.send?.({ kind: 'profile-start' } satisfies FromServer);
      return;
    }
    if (message.kind === 'profile-stop') {
      const { profile } = await inspector.post('Profiler.stop');
      inspector.disconnect();
      writeFileSync(message.file ?? 'api.cpuprofile', JSON.stringify(profile));
      process.send?.({ kind: 'profile-stop' } satisfies FromServer);
      return;
    }
    if (message.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ kind: 'cpu', micros: user + system } satisfies FromServer);
      return;
    }
    if (message.kind !== 'ceiling') return;
    const body = Buffer.from(message.body ?? '{}');
    const ceiling = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    });
    ceiling.keepAliveTimeout = IDLE_MS;
    ceiling.listen(0, '127.0.0.1', () => {
      const { port } = ceiling.address() as AddressInfo;
      process.send?.({ kind: 'ceiling', port } satisfies FromServer);
    });
  });
}

function ask<T extends FromServer['kind']>(
  child: ChildProcess,
  kind: T,
  payload: object = {},
): Promise<Extract<FromServer, { kind: T }>> {
  return new Promise((resolve, reject) => {
    const exited = () => reject(new Error('The API server exited.'));
    const listener = (message: FromServer) => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(message as Extract<FromServer, { kind: T }>);
    };
    child.on('message', listener);
    child.once('exit', exited);
    if (kind !== 'listening') child.send({ kind, ...payload });
  });
}

// ---------------------------------------------------------------- the bench (this process)

type Target = {
  name: string;
  slug: string;
  url: string;
  headers: OutgoingHttpHeaders;
  agent: Agent;
  rounds: HttpRound[];
  /** The server process's CPU time over the rounds, µs. */
  cpu: number;
};

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port, database, admin } = await ask(child, 'listening');
    const base = `http://127.0.0.1:${port}`;
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: admin.password }),
    });
    if (!signIn.ok) throw new Error(`Sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).text();
    const list = await (await fetch(`${base}/api/users`, { headers: { cookie } })).text();
    const ceiling = await ask(child, 'ceiling', { body: me });
    const size = Buffer.byteLength(me);

    const target = (name: string, slug: string, url: string, headers: OutgoingHttpHeaders): Target => ({
      name,
      slug,
      url,
      headers,
      agent: keepAlive(CLIENTS),
      rounds: [],
      cpu: 0,
    });
    const targets = [
      target(`GET /api/me (${size} B)`, 'api-me', `${base}/api/me`, { cookie }),
      target(`GET /api/users (${Buffer.byteLength(list)} B)`, 'api-users', `${base}/api/users`, { cookie }),
      target(`bare node:http, same ${size} B (ceiling)`, 'ceiling', `http://127.0.0.1:${ceiling.port}/`, {}),
    ];
    for (const t of targets) await getFor(t.url, t.headers, t.agent, CLIENTS, 1); // warm-up
    for (let round = 0; round < ROUNDS; round++)
      for (const t of targets) {
        if (PROFILE_DIR) await ask(child, 'profile-start');
        const cpuBefore = (await ask(child, 'cpu')).micros;
        t.rounds.push(
          await getFor(t.url, t.headers, t.agent, CLIENTS, SECONDS).catch((e: unknown) => {
            throw new Error(`${t.name}, round ${round + 1}: ${String(e)}`);
          }),
        );
        t.cpu += (await ask(child, 'cpu')).micros - cpuBefore;
        if (PROFILE_DIR)
          await ask(child, 'profile-stop', { file: `${PROFILE_DIR}/${t.slug}-${round + 1}.cpuprofile` });
      }
    for (const t of targets) t.agent.destroy();

    const rate = (t: Target) =>
      t.rounds.reduce((n, r) => n + r.requests, 0) / t.rounds.reduce((s, r) => s + r.seconds, 0);
    console.log(
      `Switchboard API on ${database}, ${CLIENTS} keep-alive clients over loopback; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${SECONDS} s per request, alternating`,
    );
    console.log('| request | n | req/s | p50 | p95 | p99 | errors | server CPU per request |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const t of targets) {
      const latencies = t.rounds.flatMap((r) => r.latencies);
      const errors = t.rounds.reduce((n, r) => n + r.errors, 0);
      console.log(
        `| ${t.name} | ${latencies.length} | ${rate(t).toFixed(0)} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} | ${errors} | ${(t.cpu / latencies.length).toFixed(0)} µs |`,
      );
    }
    const [meTarget, , ceilingTarget] = targets;
    if (meTarget && ceilingTarget)
      console.log(`/api/me ÷ ceiling (req/s): ${(rate(meTarget) / rate(ceilingTarget)).toFixed(2)}`);
    console.log('Aim: /api/me at ≥ 0.5× the ceiling’s req/s, p95 ≤ 20 ms.');
  } finally {
    if (child.connected) child.disconnect();
  }
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
