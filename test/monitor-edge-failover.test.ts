import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteIceUfrags, untilIceRestarted } from './support/ice-restart-probe';
import { MonitorScene, listening, type Person } from './support/monitor-scene';
import { launchAgent, writeToneWav } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';
import { forwardTo, type Forwarder } from './support/tcp-forwarder';

// An operator listens to agent1's call with agent2 when the SIP edge all three phones use goes
// away. Every phone comes back through the next edge and restarts ICE on each of its sessions at
// the same moment as the other side: the call's re-INVITEs and the monitor session's cross. Both
// sessions must come out restarted, with each party hearing what listening allows.
const TONE = { agent2: 440, agent1: 660, operator: 880 } as const;
const scene = new MonitorScene(TONE);
const page = (name: Person) => scene.page(name);

let server: ServerProcess;
let forwarder: Forwarder;
let folder: string;

beforeAll(async () => {
  const port = await freePort();
  forwarder = await forwardTo(port);
  server = await startServer({
    port,
    env: { SIP_WS_URLS: [`ws://127.0.0.1:${forwarder.port}/sip`, `ws://127.0.0.1:${port}/sip`].join(',') },
  });
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-monitor-edges-'));
  for (const [username, hz] of Object.entries(TONE)) {
    const wav = path.join(folder, `${username}.wav`);
    await writeToneWav(wav, hz, 60);
    scene.people[username as Person] = await launchAgent(server, username, wav);
  }
});

afterAll(async () => {
  for (const person of Object.values(scene.people)) await person.browser.close();
  await forwarder?.close().catch(() => undefined);
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('an operator listening when the SIP edge goes away', () => {
  it('all three phones come back through the next edge; the call and the monitor session restart ICE and carry on', async () => {
    await scene.untilRegistered();
    await expect.poll(() => scene.agentRow().textContent(), { timeout: 10_000 }).toMatch(/Available/);
    await scene.customerCallsAgent1();
    await scene.agentRow().getByRole('button', { name: 'Listen' }).click();
    await expect
      .poll(() => scene.sessionStatus().textContent(), { timeout: 10_000 })
      .toMatch(/^Listening to Agent One's call/);
    await scene.expectHearing(listening(TONE));

    // agent1 holds two sessions (the call and the monitor session), the others one each.
    const before = {
      agent1: await remoteIceUfrags(page('agent1')),
      agent2: await remoteIceUfrags(page('agent2')),
      operator: await remoteIceUfrags(page('operator')),
    };
    expect(before.agent1).toHaveLength(2);
    expect([before.agent2, before.operator].map((ufrags) => ufrags.length)).toEqual([1, 1]);

    await forwarder.close();
    await scene.untilRegistered(10_000);
    await Promise.all(
      (Object.keys(before) as (keyof typeof before)[]).map((name) =>
        untilIceRestarted(page(name), before[name], 20_000),
      ),
    );
    await scene.expectHearing(listening(TONE));
    expect(await scene.sessionStatus().textContent()).toMatch(/^Listening to Agent One's call/);
  });
});
