// `npm run bench:sip` — the SIP edge's registrar under load. The server (HTTP app + SIP edge
// on a fresh PGlite database) runs in a child process, the WebSocket clients in this one, so
// each gets a core. Prints a table; nothing is asserted.
//   1. REGISTER/s with the full digest challenge (REGISTER → 401 → REGISTER + Authorization
//      → 200) from BENCH_SIP_CLIENTS (200) concurrent clients for BENCH_SIP_SECONDS (10 s).
//   2. The server's RSS and heap with BENCH_SIP_REGISTERED (10 000) clients registered.
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { ms, percentile } from './percentiles';

const CLIENTS = Number(process.env.BENCH_SIP_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SIP_SECONDS ?? 10);
const REGISTERED = Number(process.env.BENCH_SIP_REGISTERED ?? 10_000);
const DOMAIN = 'bench.local';
const PASSWORD = 'bench-password';
/** A directory: the server's CPU profile of the throughput phase is written there. */
const PROFILE_DIR = process.env.BENCH_SIP_PROFILE;

type ServerReport = { rss: number; heapUsed: number; bindings: number };
type FromServer =
  | { kind: 'listening'; port: number }
  | ({ kind: 'memory' } & ServerReport)
  | { kind: 'profile-start' }
  | { kind: 'profile-stop' };

// ---------------------------------------------------------------- server (child process)

async function serve(): Promise<void> {
  const [
    { loadConfig },
    { createLogger },
    { createSwitchboardServer },
    { freshTestDatabase },
    schema,
    { sipHa1 },
  ] = await Promise.all([
    import('../server/config'),
    import('../server/log'),
    import('../server/create-server'),
    import('../server/store/test-database'),
    import('../server/store/schema'),
    import('../server/auth/passwords'),
  ]);
  const database = await freshTestDatabase();
  const [profile] = await database.db
    .insert(schema.profiles)
    .values({ name: 'bench', capacity: 100_000, channelLimit: 300, flags: ['call'] })
    .returning({ id: schema.profiles.id });
  const total = Math.max(CLIENTS, REGISTERED);
  for (let start = 0; start < total; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(total, start + 1000); i++) {
      const username = `bench${i}`;
      rows.push({
        username,
        displayName: `Bench ${i}`,
        extension: String(100_000 + i),
        role: 'agent',
        profileId: profile?.id ?? null,
        // Never used to sign in to the web: the bench only speaks SIP.
        passwordHash: 'unused',
        ha1Md5: sipHa1(username, DOMAIN, PASSWORD, 'MD5'),
        ha1Sha256: sipHa1(username, DOMAIN, PASSWORD, 'SHA-256'),
        sipRealm: DOMAIN,
      });
    }
    await database.db.insert(schema.users).values(rows);
  }
  const config = { ...loadConfig({ LOG_LEVEL: 'error', SIP_DOMAIN: DOMAIN }) };
  const switchboard = createSwitchboardServer({ config, db: database.db, log: createLogger('error') });
  switchboard.server.listen(0, '127.0.0.1', () => {
    const { port } = switchboard.server.address() as AddressInfo;
    process.send?.({ kind: 'listening', port } satisfies FromServer);
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  const inspector = new Session();
  process.on('message', async (message: { kind: string }) => {
    if (message.kind === 'profile-start') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      process.send?.({ kind: 'profile-start' } satisfies FromServer);
      return;
    }
    if (message.kind === 'profile-stop') {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(`${PROFILE_DIR ?? '.'}/sip-register-server.cpuprofile`, JSON.stringify(profile));
      process.send?.({ kind: 'profile-stop' } satisfies FromServer);
      return;
    }
    if (message.kind !== 'memory') return;
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    const bindings = switchboard.edge.control.listSeats().length;
    process.send?.({
      kind: 'memory',
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      bindings,
    } satisfies FromServer);
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------- clients (this process)

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** One lean SIP client: registers over and over, answering each 401 challenge. */
class Registrar {
  readonly #ws: WebSocket;
  readonly #host = `${randomBytes(6).toString('hex')}.invalid`;
  readonly #contact = randomBytes(4).toString('hex');
  readonly #callId = randomBytes(10).toString('hex');
  readonly #tag = randomBytes(5).toString('hex');
  #cseq = 0;
  #pending: ((status: number, text: string) => void) | null = null;
  readonly #opened: Promise<void>;

  constructor(
    url: string,
    readonly user: string,
  ) {
    this.#ws = new WebSocket(url, 'sip', { perMessageDeflate: false });
    this.#opened = new Promise((resolve, reject) => {
      this.#ws.once('open', () => resolve());
      this.#ws.once('error', reject);
    });
    this.#ws.on('message', (data) => {
      const text = data.toString();
      const status = Number(text.slice(8, 11));
      if (status < 200) return;
      const pending = this.#pending;
      this.#pending = null;
      pending?.(status, text);
    });
    this.#ws.on('error', () => undefined);
  }

  opened(): Promise<void> {
    return this.#opened;
  }

  #send(authorization: string | null): Promise<{ status: number; text: string }> {
    this.#cseq++;
    const lines = [
      `REGISTER sip:${DOMAIN} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.#host};branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `To: <sip:${this.user}@${DOMAIN}>`,
      `From: <sip:${this.user}@${DOMAIN}>;tag=${this.#tag}`,
      `Call-ID: ${this.#callId}`,
      `CSeq: ${this.#cseq} REGISTER`,
      `Contact: <sip:${this.#contact}@${this.#host};transport=ws>;expires=600`,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ];
    return new Promise((resolve) => {
      this.#pending = (status, text) => resolve({ status, text });
      this.#ws.send(lines.join('\r\n'));
    });
  }

  /** REGISTER → 401 → REGISTER with the MD5 answer → 200. */
  async register(): Promise<number> {
    const challenge = await this.#send(null);
    if (challenge.status !== 401) return challenge.status;
    const md5Line = challenge.text.split('\r\n').find((line) => line.includes('algorithm=MD5')) ?? '';
    const value = /nonce="([^"]+)"/.exec(md5Line)?.[1] ?? '';
    const cnonce = randomBytes(6).toString('hex');
    const uri = `sip:${DOMAIN}`;
    const ha1 = md5(`${this.user}:${DOMAIN}:${PASSWORD}`);
    const response = md5(`${ha1}:${value}:00000001:${cnonce}:auth:${md5(`REGISTER:${uri}`)}`);
    const authorization = `Digest username="${this.user}", realm="${DOMAIN}", nonce="${value}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
    return (await this.#send(authorization)).status;
  }

  close(): void {
    this.#ws.terminate();
  }
}

function request<T extends FromServer['kind']>(
  child: ChildProcess,
  kind: T,
): Promise<Extract<FromServer, { kind: T }>> {
  return new Promise((resolve) => {
    const listener = (message: FromServer) => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      resolve(message as Extract<FromServer, { kind: T }>);
    };
    child.on('message', listener);
    if (kind !== 'listening') child.send({ kind });
  });
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await request(child, 'listening');
  const url = `ws://127.0.0.1:${port}/sip`;

  // 1. Throughput with challenge.
  const clients = Array.from({ length: CLIENTS }, (_, i) => new Registrar(url, `bench${i}`));
  await Promise.all(clients.map((c) => c.opened()));
  for (const client of clients) await client.register(); // warm-up: caches and JIT
  if (PROFILE_DIR) await request(child, 'profile-start');
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await client.register();
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (PROFILE_DIR) await request(child, 'profile-stop');
  for (const client of clients) client.close();
  await new Promise((r) => setTimeout(r, 500));

  // 2. Memory with REGISTERED clients registered.
  const idle = await request(child, 'memory');
  const many: Registrar[] = [];
  let refused = 0;
  await inBatches(
    Array.from({ length: REGISTERED }, (_, i) => i),
    250,
    async (i) => {
      const client = new Registrar(url, `bench${i}`);
      many.push(client);
      try {
        await client.opened();
        if ((await client.register()) !== 200) refused++;
      } catch {
        refused++;
      }
    },
  );
  const loaded = await request(child, 'memory');
  for (const client of many) client.close();
  child.disconnect();

  const registrations = latencies.length;
  console.log(
    `SIP edge registrar: ${CLIENTS} concurrent WebSocket clients for ${SECONDS} s, digest MD5 with challenge`,
  );
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(
    `| REGISTER/s with challenge (401 + 200, complete registrations) | ${(registrations / elapsed).toFixed(0)} |`,
  );
  console.log(
    `| SIP requests/s answered (REGISTER → 401 and → 200) | ${((2 * registrations) / elapsed).toFixed(0)} |`,
  );
  console.log(`| latency p50 (challenge round trip included) | ${ms(percentile(latencies, 50))} |`);
  console.log(`| latency p99 | ${ms(percentile(latencies, 99))} |`);
  console.log(`| failed registrations | ${failures} |`);
  console.log(`| clients registered at once | ${loaded.bindings} of ${REGISTERED} (${refused} refused) |`);
  console.log(`| server RSS idle → with ${REGISTERED} registered | ${mb(idle.rss)} → ${mb(loaded.rss)} |`);
  console.log(
    `| RSS per registered client | ${((loaded.rss - idle.rss) / REGISTERED / 1024).toFixed(1)} KB |`,
  );
  console.log(
    `| heap per registered client (after GC) | ${((loaded.heapUsed - idle.heapUsed) / REGISTERED / 1024).toFixed(1)} KB |`,
  );
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
