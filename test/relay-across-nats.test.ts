import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callListSchema } from '../contracts/calls';
import { chromiumPath } from './support/browser';
import { createNatLab, natLabUnavailable, SERVER_IP } from './support/nat-lab';
import type { NatLab } from './support/nat-lab';
import {
  apiFromPage,
  launchAgent,
  phone,
  signIn,
  untilHears,
  waitForStatus,
  writeToneWav,
} from './support/phone-page';
import type { Agent } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Two agents, each in its own network namespace behind its own NAT; the server (and the relay it
// runs) on a link between them. Without a relay there is no audio path, and the phones say so;
// with one, the call goes through it and both hear each other.
const TONE = { agent1: 600, agent2: 1300 } as const;
const unavailable = natLabUnavailable();
// eslint-disable-next-line no-console -- says once why the test is skipped
if (unavailable) console.warn(`Skipped: ${unavailable}`);

let lab: NatLab | undefined;
let folder: string | undefined;
/** Without a relay, and with one (TURN=spawn, relay only), started side by side. */
let plain: ServerProcess | undefined;
let relayed: ServerProcess | undefined;
const agents: Partial<Record<keyof typeof TONE, Agent>> = {};

function agent(name: keyof typeof TONE): Agent {
  const found = agents[name];
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

/** Both agents signed in to `server` (each browser treats both servers' origins as secure). */
async function signInBoth(server: ServerProcess | undefined): Promise<void> {
  if (!server || !plain || !relayed) throw new Error('The servers did not start');
  const origins = `${plain.url},${relayed.url}`;
  await Promise.all(
    (['agent1', 'agent2'] as const).map(async (name) => {
      const existing = agents[name];
      if (existing) await signIn(existing, server, name);
      else {
        const wav = path.join(folder ?? tmpdir(), `${name}.wav`);
        await writeToneWav(wav, TONE[name]);
        agents[name] = await launchAgent(server, name, wav, {
          executablePath: lab?.chromiumIn(name === 'agent1' ? 'a' : 'b'),
          args: [`--unsafely-treat-insecure-origin-as-secure=${origins}`],
        });
      }
      await waitForStatus(agent(name).page, /^Registered as 100\d/);
    }),
  );
}

/** agent1 calls agent2, who answers; resolves when agent2 clicked Answer. */
async function callAndAnswer(): Promise<number> {
  const caller = agent('agent1').page;
  const callee = agent('agent2').page;
  await phone(caller).getByLabel('Number or username').fill('1002');
  await phone(caller).getByLabel('Number or username').press('Enter');
  const ringing = phone(callee).getByRole('region', { name: 'Incoming call' });
  await ringing.waitFor();
  await ringing.getByRole('button', { name: 'Answer' }).click();
  return Date.now();
}

/** The kinds of the local and remote candidates of the newest call's selected pair. */
async function selectedPair(agentName: keyof typeof TONE): Promise<string> {
  return agent(agentName).page.evaluate(async () => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    const pc = probe.peerConnections.filter((candidate) => candidate.connectionState !== 'closed').at(-1);
    if (!pc) return 'no call';
    const stats = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((entry: Record<string, unknown> & { id: string }) =>
      stats.set(entry.id, entry),
    );
    const transport = [...stats.values()].find((entry) => entry.type === 'transport');
    const pair = stats.get(String(transport?.selectedCandidatePairId));
    const local = stats.get(String(pair?.localCandidateId));
    const remote = stats.get(String(pair?.remoteCandidateId));
    return `${String(local?.candidateType)}/${String(local?.relayProtocol ?? '')} → ${String(remote?.candidateType)}`;
  });
}

describe.skipIf(unavailable !== null)('agents behind two NATs', () => {
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-nat-tones-'));
    lab = await createNatLab(chromiumPath());
    const turnPort = await freePort();
    const first = 40_000 + (turnPort % 1000) * 10;
    [plain, relayed] = await Promise.all([
      startServer({ env: { HOST: SERVER_IP } }),
      startServer({
        env: {
          HOST: SERVER_IP,
          TURN: 'spawn',
          TURN_LISTEN_IP: SERVER_IP,
          TURN_PORT: String(turnPort),
          TURN_RELAY_PORTS: `${first}-${first + 19}`,
          ICE_TRANSPORT_POLICY: 'relay',
        },
      }),
    ]);
  });

  afterAll(async () => {
    for (const one of Object.values(agents)) await one.browser.close().catch(() => undefined);
    await plain?.stop();
    await relayed?.stop();
    await lab?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('without a relay: the phones say there is no audio path within 10 s, and the record says no-media', async () => {
    await signInBoth(plain);
    const answeredAt = await callAndAnswer();
    const sentence = /^No audio path to .+: the network blocks it; ask your administrator for a relay\.$/;
    await phone(agent('agent2').page).getByText(sentence).waitFor({ timeout: 10_000 });
    await phone(agent('agent1').page).getByText(sentence).waitFor({ timeout: 10_000 });
    const saidAfter = Date.now() - answeredAt;
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.info(`No audio path said ${saidAfter} ms after the answer.`);
    expect(saidAfter).toBeLessThan(10_000);
    expect(await phone(agent('agent1').page).getByText(sentence).count()).toBe(1);

    let disposition: string | null | undefined;
    for (let i = 0; i < 20 && disposition !== 'no-media'; i += 1) {
      const { body } = await apiFromPage(agent('agent1').page, '/api/calls?limit=5');
      disposition = callListSchema.parse(body).items.find((call) => /1002|agent2/.test(call.to))?.disposition;
      if (disposition !== 'no-media') await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(disposition).toBe('no-media');
  });

  it('with the relay (TURN=spawn, relay only): the call connects through it and both hear each other', async () => {
    await signInBoth(relayed);
    const answeredAt = await callAndAnswer();
    const caller = agent('agent1').page;
    const callee = agent('agent2').page;
    await phone(caller)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(caller, TONE.agent2, true);
    await untilHears(callee, TONE.agent1, true);
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.info(
      `Relayed call: both hear each other ${Date.now() - answeredAt} ms after the answer; pairs ${await selectedPair('agent1')}, ${await selectedPair('agent2')}.`,
    );
    expect(await selectedPair('agent1')).toMatch(/^relay\//);
    await phone(caller).getByRole('button', { name: 'Hang up' }).click();
    await phone(callee)
      .getByText(/hung up\.$/)
      .waitFor();
  });
});
