// `npm run bench:queue` — the queue engine under a burst. The whole server (HTTP app, SIP edge
// and contact center: agent states, their history and the queue call log written to a fresh
// PGlite database, as deployed) runs in a child process; the phones (raw WebSocket SIP clients)
// in this one. BENCH_QUEUE_AGENTS (300) agents register and click Available one after the other
// in one longest-idle queue, then BENCH_QUEUE_CALLERS (100) callers
// dial it in the same instant. Measured: arrival → offer (the INVITE sent until the agent's
// phone has it) and arrival → the caller's 180, p50/p95, and the server's CPU for the burst.
// Also the server's CPU time from the burst's start until each offer left (read in the server
// when the agent's state turns ringing, just before the INVITE is written): on a quiet machine
// that is the offer's wait, and on a loaded one, where the server gets a fraction of a core,
// it still compares two versions of the code. Prints a table; nothing is asserted.
// BENCH_QUEUE_PROFILE=dir writes the server's CPU profile of the burst there.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { newCallId, newTag, RawSipClient, register } from '../test/sip/raw-sip-client';
import { cpuOf } from './load/process-tree';
import { ms, percentile } from './percentiles';

const AGENTS = Number(process.env.BENCH_QUEUE_AGENTS ?? 300);
const CALLERS = Number(process.env.BENCH_QUEUE_CALLERS ?? 100);
const PASSWORD = 'bench-password';
const EXTENSION = '7000';
const agentName = (i: number) => `qagent${i}`;
const callerName = (i: number) => `qcaller${i}`;

const PROFILE_DIR = process.env.BENCH_QUEUE_PROFILE;

type Ask = 'profile-start' | 'profile-stop' | 'agents-available' | 'burst-start' | 'burst-cpu';
type FromServer =
  | { kind: 'listening'; wsUrl: string; domain: string }
  | { kind: Exclude<Ask, 'burst-cpu'> }
  | { kind: 'burst-cpu'; offersCpuMs: number[] };

/** CPU time this process has used (all its threads), in milliseconds. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// ---------------------------------------------------------------- the server (child process)

async function serve(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const [{ startEdgeServer }, schema, { sipHa1 }, { insertQueue }] = await Promise.all([
    import('../test/sip/edge-test-server'),
    import('../server/store/schema'),
    import('../server/auth/passwords'),
    import('../server/store/queues-repository'),
  ]);
  const server = await startEdgeServer({
    sipUnauthenticatedSocketsPerAddress: (AGENTS + CALLERS) * 2,
  });
  const { db, deps } = server;
  const domain = server.config.sipDomain;
  const [profile] = await db
    .insert(schema.profiles)
    .values({ name: 'bench', capacity: 10_000, channelLimit: 10_000, flags: ['call'] })
    .returning({ id: schema.profiles.id });
  const names = [
    ...Array.from({ length: AGENTS }, (_, i) => agentName(i)),
    ...Array.from({ length: CALLERS }, (_, i) => callerName(i)),
  ];
  const rows = names.map((username, i) => ({
    username,
    displayName: username,
    extension: String(200_000 + i),
    role: 'agent' as const,
    profileId: profile?.id ?? null,
    passwordHash: 'unused',
    ha1Md5: sipHa1(username, domain, PASSWORD, 'MD5'),
    ha1Sha256: sipHa1(username, domain, PASSWORD, 'SHA-256'),
    sipRealm: domain,
  }));
  const inserted = await db
    .insert(schema.users)
    .values(rows)
    .returning({ id: schema.users.id, username: schema.users.username });
  const agentIds = inserted.filter((u) => u.username.startsWith('qagent')).map((u) => u.id);
  await insertQueue(db, {
    name: 'bench',
    extension: EXTENSION,
    members: agentIds.map((userId) => ({ kind: 'user' as const, userId, priority: 1 })),
    strategy: 'longest_idle',
    ringSeconds: 60,
    maxWaitSeconds: 600,
    overflow: { kind: 'refuse', reason: 'Nobody can take your call now' },
    wrapUpSeconds: 0,
    serviceLevelSeconds: 20,
    dispositions: [],
  });
  deps.events.publish({ entity: 'user', id: 0 });
  deps.events.publish({ entity: 'queue', id: 0 });
  await deps.contactCenter.source.settled();
  const { agents } = deps.contactCenter;
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'agents-available') return;
    // One after the other, a millisecond apart, so longest idle has an order to find.
    void (async () => {
      for (const userId of agentIds) {
        const decision = agents.setAvailable(userId);
        if (!decision.allowed) throw new Error(`Agent ${userId} could not be Available: ${decision.reason}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      await deps.contactCenter.settled();
      process.send?.({ kind: 'agents-available' } as FromServer);
    })();
  });
  // Each offer turns its agent's state to ringing (an `agent` event) just before it is sent.
  let burstStart: number | null = null;
  const offersCpuMs: number[] = [];
  deps.events.subscribe((event) => {
    if (burstStart !== null && event.entity === 'agent') offersCpuMs.push(cpuMs() - burstStart);
  });
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'burst-start') {
      burstStart = cpuMs();
      process.send?.({ kind: 'burst-start' } as FromServer);
    } else if (message.kind === 'burst-cpu') {
      burstStart = null;
      process.send?.({ kind: 'burst-cpu', offersCpuMs } satisfies FromServer);
    }
  });
  const inspector = new Session();
  process.on('message', async (message: { kind: string }) => {
    if (message.kind !== 'profile-start' && message.kind !== 'profile-stop') return;
    if (message.kind === 'profile-start') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      // 100 µs: the burst is a few hundred milliseconds, too short for the default 1 ms.
      await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
      await inspector.post('Profiler.start');
    } else if (message.kind === 'profile-stop') {
      const { profile: cpu } = await inspector.post('Profiler.stop');
      writeFileSync(`${PROFILE_DIR ?? '.'}/queue-offers-server.cpuprofile`, JSON.stringify(cpu));
    }
    process.send?.({ kind: message.kind } as FromServer);
  });
  process.send?.({ kind: 'listening', wsUrl: server.wsUrl, domain } satisfies FromServer);
}

function ask<K extends Ask>(child: ChildProcess, kind: K): Promise<Extract<FromServer, { kind: K }>> {
  return new Promise((resolve) => {
    const listener = (message: FromServer) => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      resolve(message as Extract<FromServer, { kind: K }>);
    };
    child.on('message', listener);
    child.send({ kind });
  });
}

// ---------------------------------------------------------------- the phones (this process)

async function startServer(): Promise<{ child: ChildProcess; wsUrl: string; domain: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = await new Promise<Extract<FromServer, { kind: 'listening' }>>((resolve, reject) => {
    child.once('message', (message: FromServer) => {
      if (message.kind === 'listening') resolve(message);
    });
    child.once('exit', () => reject(new Error('The server exited before listening.')));
  });
  return { child, wsUrl: listening.wsUrl, domain: listening.domain };
}

async function registerAll(url: string, domain: string, users: string[]): Promise<RawSipClient[]> {
  const clients: RawSipClient[] = [];
  for (let start = 0; start < users.length; start += 50) {
    const batch = await Promise.all(
      users.slice(start, start + 50).map(async (user) => {
        const client = await RawSipClient.connect(url);
        const ok = await register(client, { domain, user, password: PASSWORD });
        if (ok.status !== 200) throw new Error(`${user} could not register: ${ok.status} ${ok.reason}`);
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

async function bench(): Promise<void> {
  const { child, wsUrl, domain } = await startServer();
  try {
    const agents = await registerAll(
      wsUrl,
      domain,
      Array.from({ length: AGENTS }, (_, i) => agentName(i)),
    );
    const callers = await registerAll(
      wsUrl,
      domain,
      Array.from({ length: CALLERS }, (_, i) => callerName(i)),
    );
    await ask(child, 'agents-available');
    const sentAt = new Map<string, number>();
    const offeredAt = new Map<string, number>();
    const ringingAt = new Map<string, number>();
    const offersPerAgent = new Map<RawSipClient, number>();
    let offered: () => void = () => undefined;
    const allOffered = new Promise<void>((resolve) => (offered = resolve));
    for (const agent of agents) {
      agent.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (!text.startsWith('INVITE ')) return;
        const callId = /^Call-ID:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? '';
        if (offeredAt.has(callId)) return;
        offeredAt.set(callId, performance.now());
        offersPerAgent.set(agent, (offersPerAgent.get(agent) ?? 0) + 1);
        if (offeredAt.size === CALLERS) offered();
      });
    }
    for (const caller of callers) {
      caller.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (!text.startsWith('SIP/2.0 180')) return;
        const callId = /^Call-ID:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? '';
        if (!ringingAt.has(callId)) ringingAt.set(callId, performance.now());
      });
    }
    await new Promise((r) => setTimeout(r, 1000));

    if (PROFILE_DIR) await ask(child, 'profile-start');
    await ask(child, 'burst-start');
    const pid = child.pid ?? 0;
    const cpuBefore = cpuOf([pid]);
    const started = performance.now();
    callers.forEach((caller, i) => {
      const callId = newCallId();
      const user = callerName(i);
      sentAt.set(callId, performance.now());
      caller.send({
        method: 'INVITE',
        uri: `sip:${EXTENSION}@${domain}`,
        from: `<sip:${user}@${domain}>;tag=${newTag()}`,
        to: `<sip:${EXTENSION}@${domain}>`,
        callId,
        cseq: 1,
        headers: [
          ['Contact', caller.contact],
          ['Content-Type', 'application/sdp'],
        ],
        body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\n',
      });
    });
    await Promise.race([allOffered, new Promise((r) => setTimeout(r, 20_000))]);
    const wall = performance.now() - started;
    const cpu = cpuOf([pid]) - cpuBefore;
    if (PROFILE_DIR) await ask(child, 'profile-stop');
    const { offersCpuMs } = await ask(child, 'burst-cpu');

    const since = (at: Map<string, number>) =>
      [...at].map(([callId, time]) => time - (sentAt.get(callId) ?? time));
    const offers = since(offeredAt);
    const rings = since(ringingAt);
    const twice = [...offersPerAgent.values()].filter((n) => n > 1).length;
    const rows: [string, string][] = [
      ['agents registered and Available', String(AGENTS)],
      ['callers arriving at once', String(CALLERS)],
      ['calls offered (INVITE at an agent)', `${offers.length} of ${CALLERS}`],
      ['agents offered two calls at once', String(twice)],
      ['arrival → offer p50', ms(percentile(offers, 50))],
      ['arrival → offer p95 (aim ≤ 50 ms)', ms(percentile(offers, 95))],
      ['arrival → caller hears 180 p50 / p95', `${ms(percentile(rings, 50))} / ${ms(percentile(rings, 95))}`],
      [
        'edge CPU from the burst to the offer p50 / p95',
        `${ms(percentile(offersCpuMs, 50))} / ${ms(percentile(offersCpuMs, 95))}`,
      ],
      ['burst: first INVITE → last offer', ms(wall)],
      [
        'edge CPU for the burst',
        `${(cpu * 1000).toFixed(0)} ms (${((cpu * 1000) / CALLERS).toFixed(2)} ms per call)`,
      ],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    console.log(`\nQueue offers: ${AGENTS} agents, ${CALLERS} callers arriving at once (longest idle)\n`);
    for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
    for (const client of [...agents, ...callers]) client.terminate();
  } finally {
    if (child.connected) child.disconnect();
  }
}

if (process.argv.includes('--serve')) await serve();
else await bench();
