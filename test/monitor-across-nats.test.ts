import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from './support/browser';
import { createNatLab, natLabUnavailable, SERVER_IP } from './support/nat-lab';
import type { NatLab, Side } from './support/nat-lab';
import { MonitorScene, type Person } from './support/monitor-scene';
import { launchAgent, phone, untilHearsExactly, waitForStatus, writeToneWav } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Monitoring across NATs: the customer (agent2), the agent (agent1) and the operator each behind
// their own NAT, the relay (TURN=spawn, relay only) on the server's link. The operator listens to
// agent1's call; agent1's browser mixes both sides into the monitor session, which also goes
// through the relay.
const TONE = { agent2: 500, agent1: 900, operator: 1700 } as const;
const SIDE: Record<Person, Side> = { agent1: 'a', operator: 'b', agent2: 'c' };
const scene = new MonitorScene(TONE);
const page = (name: Person) => scene.page(name);
const unavailable = natLabUnavailable();
// eslint-disable-next-line no-console -- says once why the test is skipped
if (unavailable) console.warn(`Skipped: ${unavailable}`);

let lab: NatLab | undefined;
let folder: string | undefined;
let server: ServerProcess | undefined;

/**
 * The kinds of the local and remote candidates of each live peer connection's selected pair. The
 * remote one can be `prflx` though the peer is relayed too: its checks reached us before the
 * answer that names its relayed address did (one hop more on the signalling path, a socket
 * worker, makes that likelier), and Chrome keeps the kind it learned first.
 */
function selectedPairs(name: Person): Promise<string[]> {
  return page(name).evaluate(async () => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    const live = probe.peerConnections.filter((pc) => pc.connectionState !== 'closed');
    return Promise.all(
      live.map(async (pc) => {
        const stats = new Map<string, Record<string, unknown>>();
        (await pc.getStats()).forEach((entry: Record<string, unknown> & { id: string }) =>
          stats.set(entry.id, entry),
        );
        const transport = [...stats.values()].find((entry) => entry.type === 'transport');
        const pair = stats.get(String(transport?.selectedCandidatePairId));
        const local = stats.get(String(pair?.localCandidateId));
        const remote = stats.get(String(pair?.remoteCandidateId));
        return `${String(local?.candidateType)} → ${String(remote?.candidateType)}`;
      }),
    );
  });
}

describe.skipIf(unavailable !== null)('an operator monitoring a call across NATs', () => {
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-nat-monitor-'));
    lab = await createNatLab(chromiumPath());
    const turnPort = await freePort();
    const first = 40_000 + (turnPort % 1000) * 10;
    server = await startServer({
      env: {
        HOST: SERVER_IP,
        TURN: 'spawn',
        TURN_LISTEN_IP: SERVER_IP,
        TURN_PORT: String(turnPort),
        TURN_RELAY_PORTS: `${first}-${first + 29}`,
        ICE_TRANSPORT_POLICY: 'relay',
      },
    });
    const started = server;
    await Promise.all(
      (Object.keys(TONE) as Person[]).map(async (name) => {
        const wav = path.join(folder ?? tmpdir(), `${name}.wav`);
        await writeToneWav(wav, TONE[name]);
        scene.people[name] = await launchAgent(started, name, wav, {
          executablePath: lab?.chromiumIn(SIDE[name]),
          args: [`--unsafely-treat-insecure-origin-as-secure=${started.url}`],
        });
        await waitForStatus(page(name), /^Registered as 100\d/);
      }),
    );
  });

  afterAll(async () => {
    for (const one of Object.values(scene.people)) await one.browser.close().catch(() => undefined);
    await server?.stop();
    await lab?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('the operator hears both parties through the relay; the customer does not hear the operator', async () => {
    await scene.customerCallsAgent1();
    await untilHearsExactly(page('agent1'), scene.tones, [TONE.agent2]);

    const clickedAt = Date.now();
    await scene.agentRow().getByRole('button', { name: 'Listen' }).click();
    await expect
      .poll(() => scene.sessionStatus().textContent(), { timeout: 10_000 })
      .toMatch(/^Listening to Agent One's call/);
    await untilHearsExactly(page('operator'), scene.tones, [TONE.agent2, TONE.agent1]);
    const heardAfter = Date.now() - clickedAt;
    await Promise.all([
      untilHearsExactly(page('agent1'), scene.tones, [TONE.agent2]),
      untilHearsExactly(page('agent2'), scene.tones, [TONE.agent1]),
    ]);
    const operatorPairs = await selectedPairs('operator');
    const agentPairs = await selectedPairs('agent1');
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.info(
      `Monitoring across NATs: the operator hears both parties ${heardAfter} ms after Listen; operator pairs ${operatorPairs.join(', ')}; agent1 pairs ${agentPairs.join(', ')}.`,
    );
    // One session, and every leg leaves its browser through the relay: the operator's, and the
    // agent's for the call and for the session.
    expect(operatorPairs).toHaveLength(1);
    for (const pair of [...operatorPairs, ...agentPairs]) expect(pair).toMatch(/^relay → (relay|prflx)$/);

    await phone(page('agent1')).getByRole('button', { name: 'Hang up' }).click();
    await expect
      .poll(() => scene.sessionStatus().textContent(), { timeout: 10_000 })
      .toMatch(/^Monitoring Agent One's call ended: /);
    for (const person of Object.values(scene.people)) expect(person.consoleProblems).toEqual([]);
  });
});
