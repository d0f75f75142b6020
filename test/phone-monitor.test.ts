import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditListSchema } from '../contracts/audit';
import { callListSchema } from '../contracts/calls';
import { ApiClient } from './api/support/api-client';
import { MonitorScene, listening, type Person } from './support/monitor-scene';
import { launchAgent, phone, writeToneWav } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Listen, whisper and barge with no media server: three Chromium processes, each speaking its own
// tone; agent1's browser mixes. Each party must hear exactly the tones its mode allows.
const TONE = { agent2: 440, agent1: 660, operator: 880 } as const;
const scene = new MonitorScene(TONE);
const page = (name: Person) => scene.page(name);

let server: ServerProcess;
let folder: string;

beforeAll(async () => {
  server = await startServer();
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-monitor-'));
  for (const [username, hz] of Object.entries(TONE)) {
    const wav = path.join(folder, `${username}.wav`);
    await writeToneWav(wav, hz);
    scene.people[username as Person] = await launchAgent(server, username, wav);
  }
});

afterAll(async () => {
  for (const person of Object.values(scene.people)) await person.browser.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function modeButton(name: 'Listen' | 'Whisper' | 'Barge') {
  return scene
    .panel()
    .getByRole('region', { name: 'Monitor session' })
    .getByRole('group', { name: 'Monitor mode' })
    .getByRole('button', { name });
}

const LISTEN = listening(TONE);
const WHISPER = {
  operator: [TONE.agent2, TONE.agent1],
  agent1: [TONE.agent2, TONE.operator],
  agent2: [TONE.agent1],
};
const BARGE = {
  operator: [TONE.agent2, TONE.agent1],
  agent1: [TONE.agent2, TONE.operator],
  agent2: [TONE.agent1, TONE.operator],
};

describe('an operator monitors a call between two browsers', () => {
  it('the customer (agent2) calls agent1, and the operator panel shows the call live', async () => {
    await scene.untilRegistered();
    await expect.poll(() => scene.agentRow().textContent(), { timeout: 10_000 }).toMatch(/Available/);

    await scene.customerCallsAgent1(5_000);
    await phone(page('agent1'))
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await scene.expectHearing({ operator: [], agent1: [TONE.agent2], agent2: [TONE.agent1] });
  });

  it('listen: the operator hears both; agent1 only the customer; the customer only agent1', async () => {
    await scene.agentRow().getByRole('button', { name: 'Listen' }).click();
    await expect
      .poll(() => scene.sessionStatus().textContent(), { timeout: 10_000 })
      .toMatch(/^Listening to Agent One's call/);
    // The agent's phone never rang and lists no second call.
    expect(await phone(page('agent1')).getByRole('region', { name: 'Incoming call' }).count()).toBe(0);
    await scene.expectHearing(LISTEN);
  });

  it('whisper: agent1 also hears the operator, the customer still does not', async () => {
    await modeButton('Whisper').click();
    await expect
      .poll(() => scene.sessionStatus().textContent())
      .toMatch(/^Whispering to Agent One on their call/);
    await scene.expectHearing(WHISPER);
  });

  it('barge: everyone hears the other two', async () => {
    await modeButton('Barge').click();
    await expect.poll(() => scene.sessionStatus().textContent()).toMatch(/^Barging in on Agent One's call/);
    await scene.expectHearing(BARGE);
  });

  it('back to listen: as listen', async () => {
    await modeButton('Listen').click();
    await expect.poll(() => scene.sessionStatus().textContent()).toMatch(/^Listening to Agent One's call/);
    await scene.expectHearing(LISTEN);
  });

  it('agent1 hangs up: the monitor session ends, and the call record holds it', async () => {
    await phone(page('agent1')).getByRole('button', { name: 'Hang up' }).click();
    await expect
      .poll(() => scene.sessionStatus().textContent(), { timeout: 10_000 })
      .toMatch(/^Monitoring Agent One's call ended: /);
    await scene.expectHearing({ operator: [], agent1: [], agent2: [] });

    const admin = new ApiClient(server.url);
    expect((await admin.signIn('admin', server.logins.admin?.password ?? '')).status).toBe(200);
    const calls = callListSchema.parse((await admin.get('/api/calls?limit=5')).body);
    const call = calls.items.find((c) => c.fromName === 'Agent Two' && c.toName === 'Agent One');
    expect(call?.monitoring).toHaveLength(1);
    expect(call?.monitoring[0]).toMatchObject({
      byUsername: 'operator',
      mode: 'listen',
      changes: [{ mode: 'whisper' }, { mode: 'barge' }, { mode: 'listen' }],
    });
    expect(call?.monitoring[0]?.endedAt).not.toBeNull();
    const audit = auditListSchema.parse((await admin.get('/api/audit?actor=operator&entity=call')).body);
    expect(audit.items.map((entry) => entry.action).reverse()).toEqual([
      'monitor.start',
      'monitor.mode',
      'monitor.mode',
      'monitor.mode',
      'monitor.stop',
    ]);
  });

  it('left no console noise in any browser', () => {
    for (const person of Object.values(scene.people)) expect(person.consoleProblems).toEqual([]);
  });
});
