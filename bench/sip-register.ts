// `npm run bench:sip [-- --against-kamailio]` — the SIP edge's registrar under load. The server
// (HTTP app + SIP edge on a fresh PGlite database) runs in a child process, the WebSocket
// clients (bench/load/sip-registrar.ts) in this one. Prints a table; nothing is asserted.
//   1. REGISTER/s with the full digest challenge (REGISTER → 401 → REGISTER + Authorization
//      → 200) from BENCH_SIP_CLIENTS (200) concurrent clients, BENCH_SIP_ROUNDS (2) rounds of
//      BENCH_SIP_SECONDS (10 s) per server.
//   2. The server's memory before and after BENCH_SIP_REGISTERED (10 000) clients register.
// With --against-kamailio and Debian's Kamailio installed, Kamailio gets the same users, the same
// clients and the same measures, its rounds alternating with ours (A B A B), and the ratios are
// printed. A bare `ws` server answering fixed bytes (bench/load/canned-registrar.ts) takes its
// rounds too: the most REGISTER/s any Node server could answer here, before SIP work; and the
// same answers on Node's sockets with hand-made framing, no `ws` (canned-registrar-net.ts): what
// `ws` itself costs of that floor. And a lean registrar (lean-registrar.ts): the digest, the
// edge's nonces and a binding per user in one `ws` thread, without the edge's general stack,
// what the least SIP work costs on that floor.
// BENCH_SIP_NODE_FLAGS replaces the Node flags of our server (scripts/server-node-flags.mjs; '' for
// none). BENCH_SIP_PROFILE=dir writes our server's CPU profile and sampled allocations of the rounds there.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { findKamailio, HOW_TO_GET_KAMAILIO, startKamailio } from './kamailio/start-kamailio';
import { startBenchSwitchboard } from './load/bench-switchboard';
import { benchNodeFlags } from './load/node-flags';
import { REFERENCE_MODES, serveReferenceRegistrar, type ReferenceMode } from './load/reference-registrars';
import { cpuOf, memoryOf, processTree, type TreeMemory } from './load/process-tree';
import {
  connectAndRegister,
  registerFor,
  registerMany,
  type Registrar,
  type Round,
} from './load/sip-registrar';
import { ms, percentile } from './percentiles';

const CLIENTS = Number(process.env.BENCH_SIP_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_SIP_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SIP_SECONDS ?? 10);
const REGISTERED = Number(process.env.BENCH_SIP_REGISTERED ?? 10_000);
/** Kamailio's worker processes (children, tcp_children): one per core of the bench machine. */
const KAMAILIO_CHILDREN = Number(process.env.BENCH_KAMAILIO_CHILDREN ?? 2);
const WARM_UP_SECONDS = 3;
const ACCOUNT = { domain: 'bench.local', password: 'bench-password' };
const PROFILE_DIR = process.env.BENCH_SIP_PROFILE;
const USERS = Array.from({ length: Math.max(CLIENTS, REGISTERED) }, (_, i) => `bench${i}`);

type FromServer =
  | { kind: 'listening'; port: number }
  | { kind: 'memory'; heapUsed: number; bindings: number }
  | { kind: 'profile-start' }
  | { kind: 'profile-stop' };

// ---------------------------------------------------------------- our server (child process)

async function serve(): Promise<void> {
  process.on('disconnect', () => process.exit(0)); // the bench ended or was interrupted
  const switchboard = await startBenchSwitchboard(USERS, ACCOUNT, {
    // The product's default (one socket worker on two cores or more) unless the bench's
    // environment sets SIP_WEBSOCKET_WORKERS.
    SIP_WEBSOCKET_WORKERS: process.env.SIP_WEBSOCKET_WORKERS,
  });
  // As `npm start` does (edge.listen, without binding SIP over UDP and TCP here): the socket
  // workers are ready before the first client connects.
  await switchboard.edge.startWorkers();
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
      await inspector.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        // Everything allocated, not only what is still alive when it stops.
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      process.send?.({ kind: 'profile-start' } satisfies FromServer);
    } else if (message.kind === 'profile-stop') {
      const { profile: cpu } = await inspector.post('Profiler.stop');
      const { profile: heap } = await inspector.post('HeapProfiler.stopSampling');
      mkdirSync(PROFILE_DIR ?? '.', { recursive: true });
      writeFileSync(`${PROFILE_DIR ?? '.'}/sip-register-server.cpuprofile`, JSON.stringify(cpu));
      writeFileSync(`${PROFILE_DIR ?? '.'}/sip-register-server.heapprofile`, JSON.stringify(heap));
      process.send?.({ kind: 'profile-stop' } satisfies FromServer);
    } else if (message.kind === 'memory') {
      gc?.();
      gc?.();
      // Read before listing the seats: the list is garbage made for this question.
      const { heapUsed } = process.memoryUsage();
      const bindings = switchboard.edge.control.listSeats().length;
      process.send?.({ kind: 'memory', heapUsed, bindings } satisfies FromServer);
    }
  });
}

function ask<T extends FromServer['kind']>(
  child: ChildProcess,
  kind: T,
): Promise<Extract<FromServer, { kind: T }>> {
  return new Promise((resolve, reject) => {
    const listener = (message: FromServer) => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(message as Extract<FromServer, { kind: T }>);
    };
    // A server that died (its error is on stderr) ends the bench instead of leaving it waiting.
    const exited = (code: number | null) =>
      reject(new Error(`The server exited (${code}) before answering ${kind}.`));
    child.on('message', listener);
    child.once('exit', exited);
    if (kind !== 'listening') child.send({ kind });
  });
}

// ---------------------------------------------------------------- the bench (this process)

/** One registrar under test and what was measured of it. */
type Target = {
  name: string;
  url: string;
  /**
   * Its processes: our server and everything it started (its socket workers; tsx's esbuild
   * helper, idle once the code is loaded), the bare ws server's one, Kamailio's tree.
   */
  pids(): number[];
  /** Lets the server settle before a memory reading; our edge also reports its JS heap. */
  settle(): Promise<{ heapUsed: number; bindings: number } | null>;
  stop(): void | Promise<void>;
  clients: Registrar[];
  /** serverCpu: all its processes; sipCpu: our server's own process (SIP), not its socket workers. */
  rounds: (Round & { serverCpu: number; sipCpu: number })[];
  /** Ours: its root process is the one that runs SIP (the others hold sockets or idle). */
  sipProcess?: boolean;
  /** A reference measured for REGISTER/s only, not for memory. */
  rateOnly?: boolean;
  memory?: {
    idle: TreeMemory;
    loaded: TreeMemory;
    /** PSS of each of its processes, idle and once the clients are registered, bytes (the root first). */
    idleEach: number[];
    loadedEach: number[];
    registered: number;
    heap?: [number, number];
    bindings?: number;
  };
};

/** This file in a child process (`--serve` or `--canned`), once it listens, as a bench target. */
async function forkTarget(mode: '--serve' | ReferenceMode, execArgv: string[]) {
  const child = fork(fileURLToPath(import.meta.url), [mode], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await ask(child, 'listening');
  return {
    child,
    url: `ws://127.0.0.1:${port}/sip`,
    pids: () => [child.pid ?? 0],
    stop: () => {
      if (child.connected) child.disconnect();
    },
    clients: [],
    rounds: [],
  };
}

async function startOurs(): Promise<Target & { child: ChildProcess }> {
  // With the flags `npm start` gives the server, or BENCH_SIP_NODE_FLAGS instead ('' for none).
  const flags = benchNodeFlags('BENCH_SIP_NODE_FLAGS');
  const target = await forkTarget('--serve', [...process.execArgv, ...flags, '--expose-gc']);
  return {
    ...target,
    name: 'Switchboard edge',
    pids: () => processTree(target.child.pid ?? 0),
    sipProcess: true,
    settle: () => ask(target.child, 'memory'),
  };
}

/** The bare `ws` ceiling (bench/load/canned-registrar.ts) in a child process of its own. */
async function startCanned(): Promise<Target> {
  const target = await forkTarget('--canned', process.execArgv);
  return { ...target, name: 'bare ws, fixed answers', settle: async () => null, rateOnly: true };
}

/** The same answers on Node's sockets without `ws` (bench/load/canned-registrar-net.ts). */
async function startCannedOnNet(): Promise<Target> {
  const target = await forkTarget('--canned-net', process.execArgv);
  return { ...target, name: 'bare net, fixed answers', settle: async () => null, rateOnly: true };
}

/** The least SIP work in one `ws` thread (bench/load/lean-registrar.ts), with the server's Node flags. */
async function startLean(): Promise<Target> {
  const target = await forkTarget('--lean', [...process.execArgv, ...benchNodeFlags('BENCH_SIP_NODE_FLAGS')]);
  return { ...target, name: 'lean registrar', settle: async () => null, rateOnly: true };
}

async function startTheirs(): Promise<{ target: Target; about: string }> {
  const { sipHa1 } = await import('../server/auth/passwords');
  const users = USERS.map((username) => ({
    username,
    ha1: sipHa1(username, ACCOUNT.domain, ACCOUNT.password, 'MD5'),
  }));
  const kamailio = await startKamailio({
    domain: ACCOUNT.domain,
    users,
    children: KAMAILIO_CHILDREN,
    connections: REGISTERED + CLIENTS,
  });
  const about = `${kamailio.version}: children=${KAMAILIO_CHILDREN}, tcp_children=${KAMAILIO_CHILDREN} (one per core), usrloc in memory, users in ${kamailio.database}`;
  return {
    about,
    target: {
      name: 'Kamailio',
      url: kamailio.url,
      pids: () => processTree(kamailio.pid),
      settle: async () => null,
      stop: kamailio.stop,
      clients: [],
      rounds: [],
    },
  };
}

const pause = (milliseconds: number) => new Promise((r) => setTimeout(r, milliseconds));

async function measure(targets: Target[], profile: ChildProcess | null): Promise<void> {
  for (const target of targets) {
    target.clients = await connectAndRegister(target.url, USERS.slice(0, CLIENTS), ACCOUNT);
    await registerFor(target.clients, WARM_UP_SECONDS); // caches and the JIT; not counted
  }
  if (profile) await ask(profile, 'profile-start');
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      const pids = target.pids();
      const [root = 0] = pids;
      const cpu = cpuOf(pids);
      const sipCpu = cpuOf([root]);
      const result = await registerFor(target.clients, SECONDS);
      target.rounds.push({ ...result, serverCpu: cpuOf(pids) - cpu, sipCpu: cpuOf([root]) - sipCpu });
    }
  }
  if (profile) await ask(profile, 'profile-stop');
  for (const target of targets) for (const client of target.clients) client.close();
  await pause(1000);

  for (const target of targets) {
    if (target.rateOnly) continue;
    const before = await target.settle();
    const idle = memoryOf(target.pids());
    const idleEach = target.pids().map((pid) => memoryOf([pid]).pss);
    const many = await registerMany(target.url, USERS.slice(0, REGISTERED), ACCOUNT);
    const after = await target.settle();
    const loaded = memoryOf(target.pids());
    const loadedEach = target.pids().map((pid) => memoryOf([pid]).pss);
    target.memory = { idle, loaded, idleEach, loadedEach, registered: many.registered };
    if (before && after)
      target.memory = { ...target.memory, heap: [before.heapUsed, after.heapUsed], bindings: after.bindings };
    for (const client of many.clients) client.close();
    await pause(1000);
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The rows of the table: one figure per target, and a ratio where one is asked for. */
function report(targets: Target[]): void {
  const rate = (t: Target) => sum(t.rounds.map((r) => r.registrations)) / sum(t.rounds.map((r) => r.seconds));
  const latencies = (t: Target) => t.rounds.flatMap((r) => r.latencies);
  const cpuPer = (t: Target) =>
    (sum(t.rounds.map((r) => r.serverCpu)) / sum(t.rounds.map((r) => r.registrations))) * 1e6;
  const sipCpuPer = (t: Target) =>
    (sum(t.rounds.map((r) => r.sipCpu)) / sum(t.rounds.map((r) => r.registrations))) * 1e6;
  const generator = (t: Target) =>
    sum(t.rounds.map((r) => r.generatorCpu)) / sum(t.rounds.map((r) => r.seconds));
  const perClient = (t: Target, key: 'rss' | 'pss') =>
    t.memory ? (t.memory.loaded[key] - t.memory.idle[key]) / Math.max(1, t.memory.registered) : NaN;
  const rows: [string, (t: Target) => string, ((t: Target) => number)?][] = [
    ['REGISTER/s with challenge (401 + 200), all rounds', (t) => rate(t).toFixed(0), rate],
    ['REGISTER/s per round', (t) => t.rounds.map((r) => (r.registrations / r.seconds).toFixed(0)).join(', ')],
    ['latency p50 (challenge round trip included)', (t) => ms(percentile(latencies(t), 50))],
    ['latency p99', (t) => ms(percentile(latencies(t), 99))],
    ['failed registrations', (t) => String(sum(t.rounds.map((r) => r.failures)))],
    ['server CPU per registration (all its processes)', (t) => `${cpuPer(t).toFixed(0)} µs`, cpuPer],
    [
      'of which the SIP process (not its socket workers)',
      (t) => (t.sipProcess ? `${sipCpuPer(t).toFixed(0)} µs` : '—'),
    ],
    ['load generator CPU (share of one core)', (t) => `${(generator(t) * 100).toFixed(0)} %`],
    [
      `clients registered at once (of ${REGISTERED})`,
      (t) =>
        `${t.memory?.registered ?? 0}${t.memory?.bindings === undefined ? '' : ` (${t.memory.bindings} bindings)`}`,
    ],
    ['server processes', (t) => String(t.memory?.loaded.processes ?? '')],
    [
      'RSS summed, idle → registered',
      (t) => (t.memory ? `${mb(t.memory.idle.rss)} → ${mb(t.memory.loaded.rss)}` : ''),
    ],
    [
      'PSS summed, idle → registered',
      (t) => (t.memory ? `${mb(t.memory.idle.pss)} → ${mb(t.memory.loaded.pss)}` : ''),
    ],
    [
      'PSS of each process, idle → registered',
      (t) =>
        t.memory?.idleEach.map((idle, i) => `${mb(idle)} → ${mb(t.memory?.loadedEach[i] ?? 0)}`).join(', ') ??
        '',
    ],
    [
      'RSS per registered client',
      (t) => `${(perClient(t, 'rss') / 1024).toFixed(1)} KB`,
      (t) => perClient(t, 'rss'),
    ],
    [
      'PSS per registered client',
      (t) => `${(perClient(t, 'pss') / 1024).toFixed(1)} KB`,
      (t) => perClient(t, 'pss'),
    ],
    [
      "the SIP process's JS heap after GC, idle → registered",
      (t) => (t.memory?.heap ? `${mb(t.memory.heap[0])} → ${mb(t.memory.heap[1])}` : '—'),
    ],
    [
      'JS heap per registered client (after GC)',
      (t) =>
        t.memory?.heap
          ? `${((t.memory.heap[1] - t.memory.heap[0]) / t.memory.registered / 1024).toFixed(1)} KB`
          : '—',
    ],
  ];
  const [ours, ...references] = targets;
  if (!ours) return;
  // The first rows are measured in the rounds; the rest in the memory phase, which a
  // rate-only reference skips.
  const roundRows = 6;
  console.log(
    `| measure | ${targets.map((t) => t.name).join(' | ')} |${references.map((t) => ` ours ÷ ${t.name} |`).join('')}`,
  );
  console.log(`| --- |${targets.map(() => ' ---: |').join('')}${references.map(() => ' ---: |').join('')}`);
  rows.forEach(([label, show, value], index) => {
    const measured = (t: Target) => index < roundRows || !t.rateOnly;
    const cells = targets.map((t) => (measured(t) ? show(t) : '—'));
    const quotients = references.map((t) =>
      value && measured(t) ? ` ${(value(ours) / value(t)).toFixed(2)} |` : ' |',
    );
    console.log(`| ${label} | ${cells.join(' | ')} |${quotients.join('')}`);
  });
}

async function main(): Promise<void> {
  let kamailio: { target: Target; about: string } | null = null;
  if (process.argv.includes('--against-kamailio')) {
    if (findKamailio()) kamailio = await startTheirs();
    else console.log(HOW_TO_GET_KAMAILIO);
  }
  const ours = await startOurs();
  const canned = await startCanned();
  const cannedOnNet = await startCannedOnNet();
  const lean = await startLean();
  const targets = [ours, ...(kamailio ? [kamailio.target] : []), lean, canned, cannedOnNet];
  try {
    await measure(targets, PROFILE_DIR ? ours.child : null);
  } finally {
    for (const target of targets) await target.stop();
  }
  const order = Array.from({ length: ROUNDS }, () => targets.map((t) => t.name)).flat();
  console.log(
    `SIP registrar: ${CLIENTS} concurrent WebSocket clients, digest MD5 with challenge; ${ROUNDS * targets.length} round${ROUNDS * targets.length === 1 ? '' : 's'} of ${SECONDS} s (${order.join(', ')}); memory with ${REGISTERED} clients registered`,
  );
  if (kamailio) console.log(kamailio.about);
  report(targets);
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  const reference = REFERENCE_MODES.find((mode) => process.argv.includes(mode));
  if (reference) serveReferenceRegistrar(reference, USERS, ACCOUNT);
  else
    main().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
