// `npm run bench:kamailio` — REGISTER/s through Kamailio as deployed (deploy/kamailio/kamailio.cfg:
// digest against the project's PostgreSQL, registrations written there) with the policy callout
// (A: each REGISTER asks a Switchboard server for profile capacity) and without it (B: the same
// file with -A WITHOUT_REGISTER_POLICY), both instances up at once, rounds alternating A B A B.
// BENCH_KAMAILIO_USERS (200) users made through the API, one WebSocket client each per instance
// (bench/load/sip-registrar.ts, REGISTER → 401 → REGISTER + Authorization → 200),
// BENCH_KAMAILIO_ROUNDS (2) rounds of BENCH_KAMAILIO_SECONDS (10 s) per instance. Prints a table
// with the machine's load average; nothing is asserted.
import { cpus, loadavg } from 'node:os';
import { registerStackMissing, startRegisterStack, BENCH_DOMAIN } from './kamailio/register-stack';
import { cpuOf, processTree } from './load/process-tree';
import { connectAndRegister, registerFor, type Registrar, type Round } from './load/sip-registrar';
import { ms, percentile } from './percentiles';

const USERS = Number(process.env.BENCH_KAMAILIO_USERS ?? 200);
const ROUNDS = Number(process.env.BENCH_KAMAILIO_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_KAMAILIO_SECONDS ?? 10);
const WARM_UP_SECONDS = 3;
const IDLE_SECONDS = 3;

/** CPU seconds each server piece spent in one round. */
type Cpu = { kamailio: number; switchboard: number; postgres: number };

type Configuration = {
  name: string;
  url: string;
  kamailioPid(): number | null;
  clients: Registrar[];
  rounds: (Round & { cpu: Cpu })[];
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** CPU seconds so far of `root` and each process below it, by process id. */
function cpuTree(root: number | null): Map<number, number> {
  const tree = root === null ? [] : processTree(root);
  return new Map(tree.map((pid) => [pid, cpuOf([pid])]));
}

/**
 * CPU seconds a tree spent between two readings. A process started in between (a PostgreSQL
 * backend for a new connection) counts whole; one that ended in between is lost.
 */
function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  return sum([...after].map(([pid, seconds]) => seconds - (before.get(pid) ?? 0)));
}
const loads = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function rate(c: Configuration): number {
  return sum(c.rounds.map((r) => r.registrations)) / sum(c.rounds.map((r) => r.seconds));
}

/** Microseconds of CPU per successful-or-not registration, for one piece. */
function cpuPer(c: Configuration, piece: keyof Cpu | 'all'): number {
  const seconds = sum(
    c.rounds.map((r) =>
      piece === 'all' ? r.cpu.kamailio + r.cpu.switchboard + r.cpu.postgres : r.cpu[piece],
    ),
  );
  return (seconds / sum(c.rounds.map((r) => r.registrations))) * 1e6;
}

function report(a: Configuration, b: Configuration): void {
  const latencies = (c: Configuration) => c.rounds.flatMap((r) => r.latencies);
  const µs = (value: number) => `${value.toFixed(0)} µs`;
  const rows: [string, (c: Configuration) => string, ((c: Configuration) => number)?][] = [
    ['REGISTER/s with challenge (401 + 200), all rounds', (c) => rate(c).toFixed(0), rate],
    ['REGISTER/s per round', (c) => c.rounds.map((r) => (r.registrations / r.seconds).toFixed(0)).join(', ')],
    [
      'latency p50 (challenge round trip included)',
      (c) => ms(percentile(latencies(c), 50)),
      (c) => percentile(latencies(c), 50),
    ],
    ['latency p95', (c) => ms(percentile(latencies(c), 95)), (c) => percentile(latencies(c), 95)],
    ['failed registrations', (c) => String(sum(c.rounds.map((r) => r.failures)))],
    ['Kamailio CPU per registration', (c) => µs(cpuPer(c, 'kamailio')), (c) => cpuPer(c, 'kamailio')],
    [
      'Switchboard CPU per registration',
      (c) => µs(cpuPer(c, 'switchboard')),
      (c) => cpuPer(c, 'switchboard'),
    ],
    ['PostgreSQL CPU per registration', (c) => µs(cpuPer(c, 'postgres')), (c) => cpuPer(c, 'postgres')],
    ['all three, per registration', (c) => µs(cpuPer(c, 'all')), (c) => cpuPer(c, 'all')],
    [
      'load generator CPU (share of one core)',
      (c) =>
        `${((sum(c.rounds.map((r) => r.generatorCpu)) / sum(c.rounds.map((r) => r.seconds))) * 100).toFixed(0)} %`,
    ],
  ];
  /** A ÷ B; "≫ 100" when B spends next to nothing (no Switchboard work without the callout). */
  const quotient = (value: (c: Configuration) => number) =>
    value(b) * 100 < value(a) ? '≫ 100' : (value(a) / value(b)).toFixed(2);
  console.log(`| measure | ${a.name} | ${b.name} | A ÷ B |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, show, value] of rows)
    console.log(`| ${label} | ${show(a)} | ${show(b)} | ${value ? quotient(value) : ''} |`);
}

async function main(): Promise<void> {
  const missing = registerStackMissing();
  if (missing) {
    console.log(`${missing} — then run npm run bench:kamailio again.`);
    return;
  }
  const stack = await startRegisterStack(USERS);
  const account = {
    domain: BENCH_DOMAIN,
    password: (user: string) => stack.passwords.get(user) ?? '',
  };
  const configurations: Configuration[] = [
    { name: 'A: policy callout (as deployed)', instance: stack.withPolicy },
    { name: 'B: no callout', instance: stack.withoutPolicy },
  ].map(({ name, instance }) => ({
    name,
    url: instance.url,
    kamailioPid: instance.pid,
    clients: [],
    rounds: [],
  }));
  const before = loads();
  let idle: number[];
  try {
    for (const c of configurations) {
      c.clients = await connectAndRegister(c.url, [...stack.passwords.keys()], account);
      const warm = await registerFor(c.clients, WARM_UP_SECONDS); // caches, JIT, connections
      if (warm.failures > 0)
        throw new Error(
          `${c.name}: ${warm.failures} of ${warm.registrations} registrations failed in the warm-up.`,
        );
    }
    // What the pieces spend with no REGISTER at all, for reading the per-registration figures.
    const quiet = [
      stack.withPolicy.pid(),
      stack.withoutPolicy.pid(),
      stack.server.pid(),
      stack.postgresPid(),
    ];
    const idleStart = quiet.map(cpuTree);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    idle = quiet.map((root, i) => cpuSpent(idleStart[i] ?? new Map(), cpuTree(root)) / IDLE_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of configurations) {
        const roots = {
          kamailio: c.kamailioPid(),
          switchboard: stack.server.pid(),
          postgres: stack.postgresPid(),
        };
        const start = {
          kamailio: cpuTree(roots.kamailio),
          switchboard: cpuTree(roots.switchboard),
          postgres: cpuTree(roots.postgres),
        };
        const result = await registerFor(c.clients, SECONDS);
        const cpu = {
          kamailio: cpuSpent(start.kamailio, cpuTree(roots.kamailio)),
          switchboard: cpuSpent(start.switchboard, cpuTree(roots.switchboard)),
          postgres: cpuSpent(start.postgres, cpuTree(roots.postgres)),
        };
        c.rounds.push({ ...result, cpu });
      }
    }
  } finally {
    for (const c of configurations) for (const client of c.clients) client.close();
    await stack.stop();
  }
  const [a, b] = configurations as [Configuration, Configuration];
  const order = Array.from({ length: ROUNDS }, () => ['A', 'B']).flat();
  console.log(
    `Kamailio REGISTER with digest challenge: ${USERS} WebSocket clients per configuration, MD5; ${ROUNDS * 2} rounds of ${SECONDS} s (${order.join(' ')})`,
  );
  console.log(stack.about);
  console.log(
    `${cpus().length} CPU cores shared by Kamailio, Switchboard, PostgreSQL and the load generator; load average (1, 5, 15 min) ${before} before, ${loads()} after`,
  );
  const [kamailioA = 0, kamailioB = 0, switchboard = 0, postgres = 0] = idle.map((seconds) => seconds * 1000);
  console.log(
    `Idle (${IDLE_SECONDS} s, clients connected, no REGISTER): Kamailio A ${kamailioA.toFixed(0)} ms/s, B ${kamailioB.toFixed(0)} ms/s, Switchboard ${switchboard.toFixed(0)} ms/s, PostgreSQL ${postgres.toFixed(0)} ms/s of CPU`,
  );
  report(a, b);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
