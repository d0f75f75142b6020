// `npm run bench:sip-cpu` — the SIP edge's own CPU per registration, without sockets: what
// parsing, transactions, digest, the limiter and the registrar cost, apart from the WebSocket
// and the kernel that bench:sip measures with them. The edge (the same server as bench:sip's,
// on a fresh PGlite database) and BENCH_SIP_CPU_CLIENTS (200) clients run in this one process;
// each client is a connection object handing its REGISTERs to the edge's transaction layer as
// the WebSocket transport does (parsed, top Via stamped) and reading the answers it is sent,
// one registration in flight each (REGISTER → 401 → REGISTER + Authorization → 200).
// After a 3 s warm-up, BENCH_SIP_CPU_ROUNDS (7) rounds of BENCH_SIP_CPU_SECONDS (2 s) each print
// the process's CPU per registration, the share of it in garbage collection, and the same less
// the clients' own work (building the REGISTERs, the MD5 answer), which is measured apart; one
// more round samples the bytes allocated per registration.
// One process on one core, so short rounds compare well on a noisy machine: run it on two
// checkouts in turn to compare them, and read the lowest and the median.
// It runs with the Node flags the server runs with (scripts/server-node-flags.mjs: its young
// generation, which decides much of this figure), or BENCH_SIP_CPU_NODE_FLAGS instead ('' for none).
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { startBenchSwitchboard } from './load/bench-switchboard';
import { benchNodeFlags } from './load/node-flags';
import { clientIdentity, digestAnswer, registerRequest, type ClientIdentity } from './load/sip-registrar';
import { percentile } from './percentiles';
import { parseMessage } from '../server/sip/message/parse-message';
import type { SipConnection } from '../server/sip/transport/transport';
import { stampTopVia } from '../server/sip/transport/stamp-via';
import type { TransactionLayer } from '../server/sip/transaction/transaction-layer';

const CLIENTS = Number(process.env.BENCH_SIP_CPU_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_SIP_CPU_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SIP_CPU_SECONDS ?? 2);
const WARM_UP_SECONDS = 3;
/** BENCH_SIP_CPU_PROFILE=dir: the allocation round's sampled heap profile and a CPU profile of one more round are written there. */
const PROFILE_DIR = process.env.BENCH_SIP_CPU_PROFILE;
/** Set in the process that measures: this file again, started with the server's Node flags. */
const WITH_FLAGS = 'BENCH_SIP_CPU_WITH_FLAGS';
const ACCOUNT = { domain: 'bench.local', password: 'bench-password' };
const USERS = Array.from({ length: CLIENTS }, (_, i) => `bench${i}`);

/** One client: a SIP connection as the edge sees one, whose answers come back to it. */
class InProcessClient implements SipConnection {
  readonly transport = 'ws' as const;
  readonly reliable = true;
  readonly remoteAddress = '127.0.0.1';
  readonly closed = false;
  authenticated = false;
  readonly identity: ClientIdentity;
  cseq = 0;

  constructor(
    readonly id: string,
    readonly remotePort: number,
    private readonly answered: (client: InProcessClient, text: string) => void,
  ) {
    this.identity = clientIdentity(USERS[remotePort % CLIENTS] ?? 'bench0');
  }

  markAuthenticated(): void {
    this.authenticated = true;
  }

  send(message: string | Buffer): boolean {
    this.answered(this, typeof message === 'string' ? message : message.toString());
    return true;
  }

  close(): void {}

  onClose(): () => void {
    return () => {};
  }
}

/** As the WebSocket transport hands a message on: parsed, its top Via stamped, to the layer. */
function deliver(layer: TransactionLayer, client: InProcessClient, text: string): void {
  const result = parseMessage(text);
  if (!result.ok) throw new Error(`The bench's REGISTER did not parse: ${result.error.reason}`);
  const { message } = result;
  if (message.kind === 'request') stampTopVia(message, client.remoteAddress, client.remotePort);
  layer.receive(message, client);
}

/** The next REGISTER of a client: the first of a pair, or the answer to its 401. */
function nextRegister(client: InProcessClient, challenge: string | null): string {
  client.cseq += 1;
  const authorization = challenge === null ? null : digestAnswer(client.identity.user, ACCOUNT, challenge);
  return registerRequest(client.identity, ACCOUNT.domain, client.cseq, authorization);
}

/** The clients' own CPU per registration (two REGISTERs built, one MD5 answer), in µs. */
function clientShare(sample401: string): number {
  const client = new InProcessClient('share', 0, () => {});
  const count = 20_000;
  const start = process.cpuUsage();
  let length = 0;
  for (let i = 0; i < count; i++) {
    length += nextRegister(client, null).length + nextRegister(client, sample401).length;
    length += Number(sample401.slice(8, 11));
  }
  const used = process.cpuUsage(start);
  if (length === 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return (used.user + used.system) / count;
}

/**
 * Bytes allocated per registration (edge and clients, collected or not), from V8's sampling heap
 * profiler over one more round: unlike CPU time, the same on a busy machine as on a quiet one.
 */
async function allocatedPerRegistration(count: () => number): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const before = count();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const done = count() - before;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(`${PROFILE_DIR}/sip-edge-cpu.heapprofile`, JSON.stringify(profile));
  }
  const total = (node: { selfSize: number; children: (typeof node)[] }): number =>
    node.children.reduce((sum, child) => sum + total(child), node.selfSize);
  return total(profile.head) / done;
}

/** With BENCH_SIP_CPU_PROFILE: one more round under V8's CPU profiler, written beside the heap profile. */
async function writeCpuProfile(dir: string): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/sip-edge-cpu.cpuprofile`, JSON.stringify(profile));
}

async function main(): Promise<void> {
  const switchboard = await startBenchSwitchboard(USERS, ACCOUNT);
  const { layer } = switchboard.edge;
  let registrations = 0;
  let failures = 0;
  let sample401 = '';
  /** Cleared once the measures are taken: the clients stop, so that the server can close. */
  let running = true;
  // Each answer is read in a callback of its own, as a socket's data would be: the promises one
  // REGISTER starts (the sign-in limiter's) settle before the next is read.
  const read = (client: InProcessClient, text: string) => {
    const status = Number(text.slice(8, 11));
    if (status < 200 || !running) return;
    if (status === 401) {
      sample401 ||= text;
      deliver(layer, client, nextRegister(client, text));
      return;
    }
    if (status === 200) registrations += 1;
    else failures += 1;
    deliver(layer, client, nextRegister(client, null));
  };
  const answered = (client: InProcessClient, text: string) => setImmediate(read, client, text);
  const clients = USERS.map((_, i) => new InProcessClient(`bench-${i}`, 10_000 + i, answered));

  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });

  for (const client of clients) deliver(layer, client, nextRegister(client, null));
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_SECONDS * 1000));

  const rounds: { perRegistration: number; gcShare: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const counted = registrations;
    const gcBefore = gcMs;
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const used = process.cpuUsage(cpu);
    const done = registrations - counted;
    const micros = used.user + used.system;
    rounds.push({ perRegistration: micros / done, gcShare: ((gcMs - gcBefore) * 1000) / micros });
  }
  gc.disconnect();
  const allocated = await allocatedPerRegistration(() => registrations);
  if (PROFILE_DIR) await writeCpuProfile(PROFILE_DIR);
  running = false;
  const client = clientShare(sample401);
  await switchboard.close();

  const per = rounds.map((r) => r.perRegistration);
  const median = percentile(per, 50);
  const lowest = Math.min(...per);
  const gcMedian = percentile(
    rounds.map((r) => r.gcShare),
    50,
  );
  const us = (value: number) => `${value.toFixed(1)} µs`;
  console.log(
    `SIP edge CPU without sockets: ${CLIENTS} clients in this process, ${ROUNDS} rounds of ${SECONDS} s, ` +
      `${registrations} registrations (${failures} failed); Node flags: ${process.env[WITH_FLAGS]}`,
  );
  console.log('| measure | median | lowest |');
  console.log('| --- | ---: | ---: |');
  console.log(`| CPU per registration (edge and clients) | ${us(median)} | ${us(lowest)} |`);
  console.log(`| the clients' own work, measured apart | ${us(client)} | |`);
  console.log(`| the edge's CPU per registration | ${us(median - client)} | ${us(lowest - client)} |`);
  console.log(`| of the process's CPU, garbage collection | ${(gcMedian * 100).toFixed(0)} % | |`);
  console.log(`| allocated per registration (edge and clients) | ${(allocated / 1024).toFixed(1)} KB | |`);
  console.log(`| rounds, µs per registration | ${per.map((p) => p.toFixed(1)).join(', ')} | |`);
}

/** Runs the bench in a process of its own with the server's Node flags; exits as it does. */
function withServerFlags(): void {
  const flags = benchNodeFlags('BENCH_SIP_CPU_NODE_FLAGS');
  const child = fork(new URL(import.meta.url), process.argv.slice(2), {
    execArgv: [...process.execArgv, ...flags],
    env: { ...process.env, [WITH_FLAGS]: flags.join(' ') || '(none)' },
  });
  child.once('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

if (process.env[WITH_FLAGS] === undefined) withServerFlags();
else await main();
