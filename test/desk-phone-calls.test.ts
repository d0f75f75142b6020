import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { creditAccountSchema } from '../contracts/credit';
import { deviceCreatedSchema, deviceListSchema } from '../contracts/devices';
import type { DeviceCredentials } from '../contracts/devices';
import { profileListSchema } from '../contracts/profiles';
import { trunkSchema } from '../contracts/trunks';
import { userListSchema } from '../contracts/users';
import { CREDIT_RAN_OUT } from '../contracts/policy/call-charges';
import { BaresipCarrier, baresipUnavailable } from './support/baresip-carrier';
import type { BaresipEvent } from './support/baresip-carrier';
import { chromiumPath } from './support/browser';
import { createLoopbackNamespace, loopbackNamespaceUnavailable } from './support/loopback-namespace';
import type { LoopbackNamespace } from './support/loopback-namespace';
import { launchAgent, phone, untilHearsExactly, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { adminApi, type AdminApi } from './support/admin-api';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// A user's desk phone beside their browser phone, the whole way: the server (SIP over UDP,
// rtpengine spawned by it), two Chromium phones and two baresips, all in one loopback-only
// network namespace. One baresip is agent2's desk phone, registered over UDP with the device
// credentials the API hands out; the other plays a carrier behind a trunk. Each party speaks its
// own tone and the tests judge what each hears by FFT (baresip's by what it records).

function programMissing(name: string, install: string): string | null {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return null;
  } catch {
    return `The desk phone tests need ${name} (apt-get install ${install}).`;
  }
}

const missing =
  loopbackNamespaceUnavailable() ??
  programMissing('rtpengine', 'rtpengine-daemon') ??
  baresipUnavailable() ??
  (existsSync(chromiumPath()) ? null : 'The desk phone tests need Chromium (apt-get install chromium).');
// eslint-disable-next-line no-console -- says once why the test is skipped
if (missing) console.warn(`Skipped: ${missing}`);

const TONE = { agent1: 500, agent2: 1000, desk: 1500, carrier: 700 } as const;
const TONES = Object.values(TONE);
/** The server's SIP UDP port inside the namespace (its own, so the standard one). */
const SIP_PORT = 5060;
/** A Berlin number the carrier answers; the rate table prices +4930. */
const CUSTOMER = '+4930555000';
const CARRIER_ADDRESS = '127.0.0.2';

let ns: LoopbackNamespace;
let server: ServerProcess;
let desk: BaresipCarrier;
let carrier: BaresipCarrier;
let credentials: DeviceCredentials;
let folder: string;
let api: AdminApi;
let agent2Id = 0;
const agents: Record<'agent1' | 'agent2', Agent> = {} as Record<'agent1' | 'agent2', Agent>;

/** The first event of `type` from `from` after `mark` (an index into its events) that matches. */
async function eventOf(
  from: BaresipCarrier,
  mark: number,
  type: string,
  match: (event: BaresipEvent) => boolean = () => true,
  timeout = 10_000,
): Promise<BaresipEvent> {
  const find = () => from.events.slice(mark).find((event) => event.type === type && match(event));
  await expect
    .poll(() => find()?.type, {
      timeout,
      message: `baresip's ${type}; it saw: ${from.events
        .slice(mark)
        .map((event) => `${event.type} ${event.param ?? ''}`)
        .join(', ')}`,
    })
    .toBe(type);
  return find() as BaresipEvent;
}

function inCallHeading(agent: Agent) {
  return phone(agent.page).getByRole('heading', { name: /^In call with/ });
}

async function dial(agent: Agent, number: string): Promise<void> {
  const field = phone(agent.page).getByLabel('Number or username');
  await field.fill(number);
  await field.press('Enter');
}

async function answer(agent: Agent): Promise<void> {
  const ringing = phone(agent.page).getByRole('region', { name: 'Incoming call' });
  await ringing.waitFor();
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await inCallHeading(agent).waitFor();
}

describe.skipIf(missing !== null)('a desk phone (baresip over UDP) beside the browser phone', () => {
  beforeAll(async () => {
    ns = await createLoopbackNamespace();
    // The carrier on an address of its own: the trunk's IP authentication takes every request
    // from its address for the trunk's, so a desk phone sharing it could call no colleague.
    const [command = 'ip', ...args] = ns.exec;
    await promisify(execFile)(command, [...args, 'ip', 'addr', 'add', `${CARRIER_ADDRESS}/8`, 'dev', 'lo']);
    carrier = await BaresipCarrier.start({
      numbers: [CUSTOMER],
      toneHz: TONE.carrier,
      address: CARRIER_ADDRESS,
      namespace: ns,
    });
    server = await startServer({
      namespace: ns,
      env: { SIP_UDP_PORT: String(SIP_PORT), RTPENGINE: 'spawn', DEFAULT_COUNTRY_CODE: '49' },
    });
    api = await adminApi(server);

    // The agents' profile may call national numbers, through the carrier's trunk.
    const profiles = profileListSchema.parse(await api('GET', '/api/profiles')).items;
    const profile = profiles.find((entry) => entry.name === 'agents');
    if (!profile) throw new Error('The demo has no agents profile.');
    await api('PATCH', `/api/profiles/${profile.id}`, { flags: [...profile.flags, 'external'] });
    trunkSchema.parse(
      await api('POST', '/api/trunks', {
        name: 'carrier',
        host: CARRIER_ADDRESS,
        port: carrier.sipPort,
        transport: 'udp',
        auth: { kind: 'ip', addresses: [CARRIER_ADDRESS] },
        callerId: '+4930999000',
        prefixes: ['+'],
        priority: 100,
      }),
    );

    // agent2's desk phone: credentials from the API, configured into baresip as a person would.
    const users = userListSchema.parse(await api('GET', '/api/users?q=agent2')).items;
    agent2Id = users.find((user) => user.username === 'agent2')?.id ?? 0;
    if (!agent2Id) throw new Error('The demo has no agent2.');
    const created = deviceCreatedSchema.parse(
      await api('POST', `/api/users/${agent2Id}/devices`, { kind: 'sip_phone', name: 'Desk' }),
    );
    if (!created.credentials) throw new Error('Adding a desk phone gave no credentials.');
    credentials = created.credentials;
    expect(credentials.server).toMatchObject({ host: '127.0.0.1', udpPort: SIP_PORT });
    desk = await BaresipCarrier.start({
      numbers: [{ number: credentials.username, answer: 'manual' }],
      // Its address of record names the registrar (the server's UDP port); the digest realm is
      // the domain, which baresip takes from the challenge.
      domain: `${credentials.server.host}:${credentials.server.udpPort}`,
      auth: { username: credentials.username, password: credentials.password },
      registerSeconds: 600,
      toneHz: TONE.desk,
      namespace: ns,
    });

    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-desk-tones-'));
    const executablePath = await ns.wrapper(chromiumPath());
    for (const username of ['agent1', 'agent2'] as const) {
      const wav = path.join(folder, `${username}.wav`);
      await writeToneWav(wav, TONE[username]);
      agents[username] = await launchAgent(server, username, wav, { executablePath });
    }
    await waitForStatus(agents.agent1.page, /^Registered as 1001/);
    await waitForStatus(agents.agent2.page, /^Registered as 1002/);
  });

  afterEach(async () => {
    // A case that failed mid-call must not leave the next one a busy phone.
    for (const agent of Object.values(agents))
      await phone(agent.page)
        .getByRole('button', { name: /^(Hang up|Cancel call)$/ })
        .click({ timeout: 500 })
        .catch(() => undefined);
    await desk?.hangup().catch(() => undefined);
    await carrier?.hangup().catch(() => undefined);
  });

  afterAll(async () => {
    for (const agent of Object.values(agents)) await agent.browser.close();
    await server?.stop();
    await desk?.close();
    await carrier?.close();
    await ns?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('registers over UDP with the device credentials', async () => {
    const registrations = async () =>
      deviceListSchema
        .parse(await api('GET', `/api/users/${agent2Id}/devices`))
        .items.find((device) => device.sipUsername === credentials.username)?.registrations ?? [];
    await expect
      .poll(async () => (await registrations()).map((entry) => entry.transport), {
        timeout: 10_000,
        message: `the desk phone's registration; baresip said:\n${desk.output()}`,
      })
      .toEqual(['udp']);
  });

  it('a colleague calls: browser and desk phone ring, answering in the browser cancels the desk phone, both browsers hear each other', async () => {
    const mark = desk.events.length;
    await dial(agents.agent1, '1002');
    const incoming = await eventOf(desk, mark, 'CALL_INCOMING');
    // The desk phone shows who calls, as the browser does.
    expect((incoming as BaresipEvent & { peerdisplayname?: string }).peerdisplayname).toBe('Agent One');
    const ringing = phone(agents.agent2.page).getByRole('region', { name: 'Incoming call' });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Agent One');

    await answer(agents.agent2);
    const closed = await eventOf(desk, mark, 'CALL_CLOSED', (event) => event.id === incoming.id);
    expect(desk.events.slice(mark).map((event) => event.type)).not.toContain('CALL_ESTABLISHED');
    // baresip 1.0 closes a call cancelled by CANCEL with ECONNRESET's words; it does not show
    // the CANCEL's Reason ("Call completed elsewhere").
    expect(closed.param).toBe('Connection reset by peer');
    await phone(agents.agent1.page).getByRole('heading', { name: 'In call with Agent Two' }).waitFor();
    await untilHearsExactly(agents.agent1.page, TONES, [TONE.agent2]);
    await untilHearsExactly(agents.agent2.page, TONES, [TONE.agent1]);

    await phone(agents.agent1.page).getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => inCallHeading(agents.agent2).count(), { timeout: 10_000 }).toBe(0);
  });

  it('the desk phone calls another user, who answers in the browser: each hears the other', async () => {
    const mark = desk.events.length;
    await desk.dial(`sip:1001@127.0.0.1:${SIP_PORT}`, credentials.username);
    const ringing = phone(agents.agent1.page).getByRole('region', { name: 'Incoming call' });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Agent Two');
    await answer(agents.agent1);
    const established = await eventOf(desk, mark, 'CALL_ESTABLISHED');
    await untilHearsExactly(agents.agent1.page, TONES, [TONE.desk]);
    await desk.untilHearsExactly(TONES, [TONE.agent1]);

    await desk.hangup(established.id);
    await eventOf(desk, mark, 'CALL_CLOSED', (event) => event.id === established.id);
    await phone(agents.agent1.page)
      .getByText(/hung up\.$/)
      .waitFor();
  });

  it('a trunk call with under 30 s of credit shows the notice at once; credit running out ends it, and the phone says why', async () => {
    // 0.60 a minute billed by the second is a cent a second: 8 cents last 8 seconds, time enough for
    // the notice and the tone to be checked on a loaded machine before the credit runs out.
    await api('POST', '/api/rates', {
      prefix: '+4930',
      description: 'Berlin',
      pricePerMinute: '0.60',
      firstIncrement: 1,
      nextIncrement: 1,
    });
    await api('POST', '/api/credit/adjustments', { kind: 'add', amount: '0.08', note: 'desk test' });
    const profileId = creditAccountSchema
      .parse(await api('GET', '/api/credit'))
      .profiles.find((entry) => entry.name === 'agents')?.profileId;
    await api('POST', `/api/credit/profiles/${profileId}/allocate`, { amount: '0.08' });

    const agent = agents.agent2;
    const mark = carrier.events.length;
    await dial(agent, CUSTOMER);
    const established = await eventOf(carrier, mark, 'CALL_ESTABLISHED');
    const answeredAt = Date.now();
    await inCallHeading(agent).waitFor();
    // The edge tells the phone as the call starts (after the phone's ACK, or sip.js would drop it).
    await phone(agent.page)
      .getByRole('status')
      .filter({ hasText: /^Your profile's credit runs out in [1-8] seconds?; the call will end then$/ })
      .waitFor({ timeout: 5_000 });
    await untilHearsExactly(agent.page, TONES, [TONE.carrier], 3_000);

    await phone(agent.page)
      .getByRole('alert')
      .filter({ hasText: CREDIT_RAN_OUT })
      .waitFor({ timeout: 15_000 });
    const lasted = Date.now() - answeredAt;
    await eventOf(carrier, mark, 'CALL_CLOSED', (event) => event.id === established.id);
    expect(await inCallHeading(agent).count()).toBe(0);
    expect(lasted).toBeGreaterThan(7_000);
    expect(lasted).toBeLessThan(11_000);
    const credit = creditAccountSchema.parse(await api('GET', '/api/credit'));
    expect(credit.profiles.find((entry) => entry.profileId === profileId)?.credit).toBe('0.00');
    expect(credit.charged).toBe('0.08');
  });
});
