import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callListSchema } from '../contracts/calls';
import type { CallRecord } from '../contracts/calls';
import { phoneNumberSchema } from '../contracts/numbers';
import { profileListSchema } from '../contracts/profiles';
import { trunkListSchema, trunkSchema } from '../contracts/trunks';
import type { TrunkCreate } from '../contracts/trunks';
import { userListSchema } from '../contracts/users';
import { NgClient } from '../server/media/rtpengine/ng-client';
import { NOT_A_TRUNK_REASON } from '../server/sip/trunks/ip-authentication';
import { BaresipCarrier, baresipUnavailable } from './support/baresip-carrier';
import type { BaresipEvent } from './support/baresip-carrier';
import { chromiumPath } from './support/browser';
import { createLoopbackNamespace, loopbackNamespaceUnavailable } from './support/loopback-namespace';
import type { LoopbackNamespace } from './support/loopback-namespace';
import { udpIntoNamespace, udpOutOfNamespace } from './support/namespace-udp';
import type { UdpTunnel } from './support/namespace-udp';
import { createPacketDropper } from './support/packet-drop';
import type { DropRule, PacketDropper } from './support/packet-drop';
import { launchAgent, phone, untilHearsExactly, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { RawSipCarrier } from './support/raw-sip-carrier';
import { adminApi, type AdminApi } from './support/admin-api';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Calls between an agent's browser and the phone network, the whole way: the server (SIP over UDP,
// rtpengine spawned by it), Chromium and baresip playing the carrier all run in one loopback-only
// network namespace, so every media path is loopback. The carrier hears the agent's tone in what it
// records and the page hears the carrier's (FFT both). Raw UDP carriers outside the namespace play a
// failing trunk (503) and a registrar with a short Expires; nftables inside drops SIP datagrams.

function programMissing(name: string, install: string): string | null {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return null;
  } catch {
    return `The trunk call tests need ${name} (apt-get install ${install}).`;
  }
}

const missing =
  loopbackNamespaceUnavailable() ??
  programMissing('rtpengine', 'rtpengine-daemon') ??
  baresipUnavailable() ??
  programMissing('nft', 'nftables');
// eslint-disable-next-line no-console -- says once why the test is skipped
if (missing) console.warn(`Skipped: ${missing}`);

const AGENT_TONE = 1000;
const CARRIER_TONE = 440;
const TONES = [CARRIER_TONE, AGENT_TONE] as const;
/** The server's SIP UDP port inside the namespace (its own, so the standard one). */
const SIP_PORT = 5060;

const CUSTOMER = '+4930555000';
const BUSY_CUSTOMER = '+4930555486';
const SLOW_CUSTOMER = '+4930555111';
/** Served first by the failing trunk (a longer prefix), then by the carrier. */
const FAILOVER_CUSTOMER = '+4940555000';
/** The agent's number: the carrier's calls to it ring agent1. */
const AGENT_NUMBER = '+4930999000';

let ns: LoopbackNamespace;
let server: ServerProcess;
let carrier: BaresipCarrier;
let failing: RawSipCarrier;
let registrar: RawSipCarrier;
let dropper: PacketDropper;
let agent: Agent;
let folder: string;
const tunnels: UdpTunnel[] = [];
let api: AdminApi;
let ng: NgClient | null = null;

async function createTrunk(fields: Partial<TrunkCreate> & Pick<TrunkCreate, 'name' | 'host' | 'auth'>) {
  return trunkSchema.parse(
    await api('POST', '/api/trunks', { callerId: AGENT_NUMBER, transport: 'udp', ...fields }),
  );
}

/** The rtpengine the server spawned: its ng port, read from its command line. */
function spawnedRtpengineNgPort(): number | null {
  const parent = server.pid();
  if (parent === null) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const ngArg = args.find((arg) => arg.startsWith('--listen-ng='));
      if (ngArg) return Number(ngArg.slice(ngArg.lastIndexOf(':') + 1));
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}

/** The call ids rtpengine holds now (ng `list`, through a UDP tunnel into the namespace). */
async function rtpengineCalls(): Promise<string[]> {
  if (!ng) {
    const port = spawnedRtpengineNgPort();
    if (port === null) throw new Error('The server runs no rtpengine.');
    const tunnel = await udpIntoNamespace(ns, port);
    tunnels.push(tunnel);
    ng = new NgClient({ host: '127.0.0.1', port: tunnel.port });
  }
  const response = await ng.request({ command: 'list', limit: 100_000 });
  return Array.isArray(response.calls) ? response.calls.map(String) : [];
}

async function noMediaLeft(): Promise<void> {
  await expect.poll(rtpengineCalls, { timeout: 5_000 }).toEqual([]);
}

/** The first carrier event of `type` after `mark` (an index into its events) that matches. */
async function carrierEvent(
  mark: number,
  type: string,
  match: (event: BaresipEvent) => boolean = () => true,
  timeout = 10_000,
): Promise<BaresipEvent> {
  const find = () => carrier.events.slice(mark).find((event) => event.type === type && match(event));
  await expect
    .poll(() => find()?.type, {
      timeout,
      message: `the carrier's ${type}; it saw: ${carrier.events
        .slice(mark)
        .map((event) => `${event.type} ${event.param ?? ''}`)
        .join(', ')}`,
    })
    .toBe(type);
  return find() as BaresipEvent;
}

function dial(number: string): Promise<void> {
  const field = phone(agent.page).getByLabel('Number or username');
  return field.fill(number).then(() => field.press('Enter'));
}

function inCallHeading() {
  return phone(agent.page).getByRole('heading', { name: /^In call with/ });
}

async function agentHangsUp(): Promise<void> {
  await phone(agent.page).getByRole('button', { name: 'Hang up' }).click();
  await expect.poll(() => inCallHeading().count(), { timeout: 10_000 }).toBe(0);
}

async function agentAnswers(): Promise<void> {
  const ringing = phone(agent.page).getByRole('region', { name: 'Incoming call' });
  await ringing.waitFor();
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await inCallHeading().waitFor();
}

/** The agent calls `number`; resolves with the carrier's CALL_ESTABLISHED once both sides show it. */
async function outboundCall(number: string): Promise<BaresipEvent> {
  const mark = carrier.events.length;
  await dial(number);
  const established = await carrierEvent(mark, 'CALL_ESTABLISHED');
  await inCallHeading().waitFor();
  return established;
}

/** The carrier calls the agent's number; resolves once its INVITE arrived at the phone. */
async function inboundCall(): Promise<number> {
  const mark = carrier.events.length;
  await carrier.dial(`sip:${AGENT_NUMBER}@127.0.0.1:${SIP_PORT}`, CUSTOMER);
  return mark;
}

async function callRecords(): Promise<CallRecord[]> {
  return callListSchema.parse(await api('GET', '/api/calls?limit=100')).items;
}

describe.skipIf(missing !== null)('trunk calls through rtpengine to a carrier (baresip)', () => {
  beforeAll(async () => {
    ns = await createLoopbackNamespace();
    carrier = await BaresipCarrier.start({
      numbers: [
        CUSTOMER,
        FAILOVER_CUSTOMER,
        { number: BUSY_CUSTOMER, answer: 'reject' },
        { number: SLOW_CUSTOMER, answer: 'manual' },
      ],
      toneHz: CARRIER_TONE,
      namespace: ns,
    });
    failing = await RawSipCarrier.start({ inviteResponse: { status: 503, reason: 'Service Unavailable' } });
    registrar = await RawSipCarrier.start({
      credentials: { realm: 'carrier.test', username: 'acme-trunk', password: 'trunk pa55word' },
      registerExpires: 3,
    });
    const failingInside = await udpOutOfNamespace(ns, failing.port);
    const registrarInside = await udpOutOfNamespace(ns, registrar.port);
    tunnels.push(failingInside, registrarInside);
    dropper = await createPacketDropper(ns);

    server = await startServer({
      namespace: ns,
      env: {
        SIP_UDP_PORT: String(SIP_PORT),
        RTPENGINE: 'spawn',
        DEFAULT_COUNTRY_CODE: '49',
      },
    });
    api = await adminApi(server);

    // The agents' profile may call national numbers (+49 here), not other countries.
    const profiles = profileListSchema.parse(await api('GET', '/api/profiles')).items;
    const agents = profiles.find((profile) => profile.name === 'agents');
    if (!agents) throw new Error('The demo has no agents profile.');
    await api('PATCH', `/api/profiles/${agents.id}`, { flags: [...agents.flags, 'external'] });

    await createTrunk({
      name: 'carrier',
      host: '127.0.0.1',
      port: carrier.sipPort,
      auth: { kind: 'ip', addresses: ['127.0.0.1'] },
      prefixes: ['+'],
      priority: 100,
    });
    await createTrunk({
      name: 'overflow',
      host: '127.0.0.1',
      port: failingInside.port,
      auth: { kind: 'ip', addresses: ['127.0.0.1'] },
      prefixes: ['+49405'],
      priority: 10,
    });
    await createTrunk({
      name: 'registered',
      host: '127.0.0.1',
      port: registrarInside.port,
      auth: { kind: 'register', username: 'acme-trunk', password: 'trunk pa55word' },
      prefixes: ['+1999'],
      priority: 100,
    });

    const users = userListSchema.parse(await api('GET', '/api/users?q=agent1')).items;
    const agent1 = users.find((user) => user.username === 'agent1');
    if (!agent1) throw new Error('The demo has no agent1.');
    phoneNumberSchema.parse(
      await api('POST', '/api/numbers', {
        number: AGENT_NUMBER,
        assignment: { kind: 'user', userId: agent1.id },
        label: 'Agent One direct',
      }),
    );

    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-trunk-tones-'));
    const wav = path.join(folder, 'agent1.wav');
    await writeToneWav(wav, AGENT_TONE);
    agent = await launchAgent(server, 'agent1', wav, { executablePath: await ns.wrapper(chromiumPath()) });
    await waitForStatus(agent.page, /^Registered as 1001/);
  });

  afterEach(async () => {
    await dropper?.clear();
    // A case that failed mid-call must not leave the next one a busy phone or carrier.
    await phone(agent.page)
      .getByRole('button', { name: /^(Hang up|Cancel call)$/ })
      .click({ timeout: 500 })
      .catch(() => undefined);
    await carrier.hangup().catch(() => undefined);
  });

  afterAll(async () => {
    await agent?.browser.close();
    ng?.close();
    await server?.stop();
    for (const tunnel of tunnels) await tunnel.close();
    await carrier?.close();
    await failing?.close();
    await registrar?.close();
    await dropper?.close();
    await ns?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('registers the registration-auth trunk (401 answered) and registers again before the short Expires', async () => {
    const valid = () =>
      registrar.registers.filter((entry) => entry.digest === 'valid' && entry.answered === 200);
    await expect.poll(() => valid().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(registrar.registers[0]).toMatchObject({ digest: 'none', answered: 401 });
    const trunks = trunkListSchema.parse(await api('GET', '/api/trunks'));
    const registered = trunks.items.find((trunk) => trunk.name === 'registered');
    expect(registered?.status.registration?.state).toBe('registered');
    expect(registered?.auth).toEqual({ kind: 'register', username: 'acme-trunk', hasPassword: true });
    expect(JSON.stringify(trunks)).not.toContain('pa55word');
  });

  it('refuses an INVITE to a number from an address that is no trunk with 403 (IP authentication)', async () => {
    const stranger = await udpIntoNamespace(ns, SIP_PORT, '127.0.0.2');
    tunnels.push(stranger);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const answer = new Promise<string>((resolve) =>
        socket.on('message', (data) => {
          const text = data.toString();
          if (!text.startsWith('SIP/2.0 1')) resolve(text);
        }),
      );
      const invite = [
        `INVITE sip:${AGENT_NUMBER}@127.0.0.1:${SIP_PORT} SIP/2.0`,
        'Via: SIP/2.0/UDP 127.0.0.2:5099;branch=z9hG4bK-stranger-1;rport',
        'Max-Forwards: 70',
        'From: <sip:+15550100@127.0.0.2>;tag=s1',
        `To: <sip:${AGENT_NUMBER}@127.0.0.1>`,
        'Call-ID: stranger-1@127.0.0.2',
        'CSeq: 1 INVITE',
        'Contact: <sip:+15550100@127.0.0.2:5099>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(invite, stranger.port, '127.0.0.1');
      const response = await Promise.race([
        answer,
        new Promise<string>((_, reject) =>
          setTimeout(() => reject(new Error('The edge did not answer the stranger.')), 5_000),
        ),
      ]);
      expect(response.split('\r\n')[0]).toBe(`SIP/2.0 403 ${NOT_A_TRUNK_REASON}`);
      expect(await phone(agent.page).getByRole('region', { name: 'Incoming call' }).count()).toBe(0);
    } finally {
      socket.close();
    }
  });

  it('agent → carrier: two-way audio, DTMF from the dial pad reaches the carrier, the agent hangs up', async () => {
    const established = await outboundCall(CUSTOMER);
    await carrier.untilHearsExactly(TONES, [AGENT_TONE]);
    await untilHearsExactly(agent.page, TONES, [CARRIER_TONE]);

    await phone(agent.page).getByRole('button', { name: 'Keypad' }).click();
    const keys = phone(agent.page).getByRole('group', { name: 'Send tones' });
    let sent = '';
    for (const key of ['1', '5', '9']) {
      await keys.getByRole('button', { name: key, exact: true }).click();
      sent += key;
      await expect.poll(() => carrier.dtmfReceived(established.id), { timeout: 5_000 }).toBe(sent);
    }
    // The media bridge is running now, and the Trunks screen says so.
    expect(trunkListSchema.parse(await api('GET', '/api/trunks')).media).toEqual({
      ready: true,
      problem: null,
    });

    const mark = carrier.events.length;
    await agentHangsUp();
    await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === established.id);
    await noMediaLeft();
  });

  it('carrier → agent: the phone rings with the caller’s number, two-way audio, the carrier hangs up', async () => {
    const mark = await inboundCall();
    const ringing = phone(agent.page).getByRole('region', { name: 'Incoming call' });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain(CUSTOMER);
    await agentAnswers();
    const established = await carrierEvent(mark, 'CALL_ESTABLISHED');
    await untilHearsExactly(agent.page, TONES, [CARRIER_TONE]);
    await carrier.untilHearsExactly(TONES, [AGENT_TONE]);

    await carrier.hangup();
    await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === established.id);
    await expect.poll(() => inCallHeading().count(), { timeout: 10_000 }).toBe(0);
    await noMediaLeft();
  });

  it('a carrier’s 486 becomes a sentence on the phone', async () => {
    await dial(BUSY_CUSTOMER);
    await phone(agent.page)
      .getByRole('alert')
      .filter({ hasText: `${BUSY_CUSTOMER} is busy` })
      .waitFor();
    expect(await inCallHeading().count()).toBe(0);
    await noMediaLeft();
  });

  it('a 503 from the first trunk fails over to the next, which answers', async () => {
    const before = failing.invites.length;
    const established = await outboundCall(FAILOVER_CUSTOMER);
    expect(failing.invites.length).toBeGreaterThan(before);
    expect(failing.invites.at(-1)?.answered).toBe(503);
    await carrier.untilHearsExactly(TONES, [AGENT_TONE]);
    const mark = carrier.events.length;
    await agentHangsUp();
    await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === established.id);
    await noMediaLeft();
  });

  it('a CANCEL before the answer ends the ringing carrier leg', async () => {
    const mark = carrier.events.length;
    await dial(SLOW_CUSTOMER);
    const incoming = await carrierEvent(mark, 'CALL_INCOMING');
    await phone(agent.page).getByRole('button', { name: 'Cancel call' }).click();
    await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === incoming.id);
    expect(carrier.events.slice(mark).some((event) => event.type === 'CALL_ESTABLISHED')).toBe(false);
    await noMediaLeft();
  });

  describe('a lost datagram on the UDP path is made up for by retransmission', () => {
    const toCarrier = (startsWith: string): DropRule => ({
      destinationPort: carrier.sipPort,
      sourcePort: SIP_PORT,
      startsWith,
    });
    const toEdge = (startsWith: string): DropRule => ({
      destinationPort: SIP_PORT,
      sourcePort: carrier.sipPort,
      startsWith,
    });

    /** Arms the drop, runs the case, then checks one datagram was dropped and a repeat passed. */
    async function withDrop(rule: () => DropRule, steps: (armed: () => Promise<void>) => Promise<void>) {
      let armed: Awaited<ReturnType<PacketDropper['dropFirst']>> | null = null;
      await steps(async () => {
        armed = await dropper.dropFirst(rule());
      });
      const drop = armed as Awaited<ReturnType<PacketDropper['dropFirst']>> | null;
      if (!drop) throw new Error('The case never armed its drop.');
      expect(await drop.dropped()).toBe(1);
      await expect.poll(() => drop.passed()).toBeGreaterThanOrEqual(1);
      await noMediaLeft();
    }

    /** The agent hangs up; the carrier sees call `id` closed. */
    async function agentEnds(mark: number, id: string | undefined) {
      await agentHangsUp();
      await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === id);
    }

    /** The carrier hangs up; the phone's call heading goes. */
    async function carrierEnds() {
      await carrier.hangup();
      await expect.poll(() => inCallHeading().count(), { timeout: 10_000 }).toBe(0);
    }

    /** The carrier calls, the agent answers: the carrier's mark and its established call. */
    async function answeredInbound() {
      const mark = await inboundCall();
      await agentAnswers();
      return { mark, established: await carrierEvent(mark, 'CALL_ESTABLISHED') };
    }

    it('outbound, the INVITE to the carrier', async () => {
      await withDrop(
        () => toCarrier('INVITE '),
        async (arm) => {
          await arm();
          const established = await outboundCall(CUSTOMER);
          const mark = carrier.events.length;
          await agentEnds(mark, established.id);
        },
      );
    });

    it('outbound, the carrier’s 200 to the INVITE', async () => {
      await withDrop(
        () => toEdge('SIP/2.0 200 '),
        async (arm) => {
          const mark = carrier.events.length;
          await dial(SLOW_CUSTOMER);
          const incoming = await carrierEvent(mark, 'CALL_INCOMING');
          await arm();
          await carrier.answer();
          await inCallHeading().waitFor();
          await agentHangsUp();
          await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === incoming.id);
        },
      );
    });

    it('outbound, the edge’s BYE to the carrier', async () => {
      await withDrop(
        () => toCarrier('BYE '),
        async (arm) => {
          const established = await outboundCall(CUSTOMER);
          await arm();
          const mark = carrier.events.length;
          await agentEnds(mark, established.id);
        },
      );
    });

    it('outbound, the carrier’s BYE to the edge', async () => {
      await withDrop(
        () => toEdge('BYE '),
        async (arm) => {
          await outboundCall(CUSTOMER);
          await arm();
          await carrierEnds();
        },
      );
    });

    it('outbound, the carrier’s 200 to the edge’s BYE', async () => {
      await withDrop(
        () => toEdge('SIP/2.0 200 '),
        async (arm) => {
          const established = await outboundCall(CUSTOMER);
          await arm();
          const mark = carrier.events.length;
          await agentEnds(mark, established.id);
        },
      );
    });

    it('inbound, the carrier’s INVITE to the edge', async () => {
      await withDrop(
        () => toEdge('INVITE '),
        async (arm) => {
          await arm();
          const { mark, established } = await answeredInbound();
          await agentEnds(mark, established.id);
        },
      );
    });

    it('inbound, the edge’s 200 to the INVITE', async () => {
      await withDrop(
        () => toCarrier('SIP/2.0 200 '),
        async (arm) => {
          const mark = await inboundCall();
          await phone(agent.page).getByRole('region', { name: 'Incoming call' }).waitFor();
          await arm();
          await agentAnswers();
          const established = await carrierEvent(mark, 'CALL_ESTABLISHED');
          await carrier.hangup();
          await carrierEvent(mark, 'CALL_CLOSED', (event) => event.id === established.id);
          await expect.poll(() => inCallHeading().count(), { timeout: 10_000 }).toBe(0);
        },
      );
    });

    it('inbound, the edge’s BYE to the carrier', async () => {
      await withDrop(
        () => toCarrier('BYE '),
        async (arm) => {
          const { mark, established } = await answeredInbound();
          await arm();
          await agentEnds(mark, established.id);
        },
      );
    });

    it('inbound, the carrier’s BYE to the edge', async () => {
      await withDrop(
        () => toEdge('BYE '),
        async (arm) => {
          await answeredInbound();
          await arm();
          await carrierEnds();
        },
      );
    });

    it('inbound, the edge’s 200 to the carrier’s BYE', async () => {
      await withDrop(
        () => toCarrier('SIP/2.0 200 '),
        async (arm) => {
          await answeredInbound();
          await arm();
          await carrierEnds();
        },
      );
    });
  });

  it('the call records show direction, number and trunk', async () => {
    await expect
      .poll(async () => (await callRecords()).filter((call) => call.direction !== 'internal').length, {
        timeout: 5_000,
      })
      .toBeGreaterThanOrEqual(15);
    const calls = await callRecords();
    const answeredOut = calls.find(
      (call) => call.direction === 'outbound' && call.number === CUSTOMER && call.answeredAt !== null,
    );
    expect(answeredOut, JSON.stringify(calls)).toMatchObject({
      trunk: 'carrier',
      fromUserId: expect.any(Number),
    });
    const answeredIn = calls.find((call) => call.direction === 'inbound' && call.answeredAt !== null);
    expect(answeredIn, JSON.stringify(calls)).toMatchObject({ number: CUSTOMER, trunk: 'carrier' });
    expect(calls.find((call) => call.number === BUSY_CUSTOMER)).toMatchObject({
      direction: 'outbound',
      trunk: 'carrier',
      disposition: 'busy',
    });
    // The call that failed over is recorded on the trunk that carried it.
    expect(calls.find((call) => call.number === FAILOVER_CUSTOMER)).toMatchObject({
      direction: 'outbound',
      trunk: 'carrier',
    });
    expect(agent.consoleProblems).toEqual([]);
  });
});
