import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callListSchema } from '../contracts/calls';
import {
  apiFromPage,
  hears,
  launchAgent,
  listen,
  phone,
  phoneAxeViolations,
  untilHears,
  waitForStatus,
  writeToneWav,
} from './support/phone-page';
import type { Agent } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Three agents in three Chromium processes, each speaking its own tone; the real server and edge.
const TONE = { agent1: 500, agent2: 1000, agent3: 1700 } as const;

let server: ServerProcess;
let folder: string;
const agents: Record<string, Agent> = {};

beforeAll(async () => {
  server = await startServer();
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-tones-'));
  for (const [username, hz] of Object.entries(TONE)) {
    const wav = path.join(folder, `${username}.wav`);
    await writeToneWav(wav, hz);
    agents[username] = await launchAgent(server, username, wav);
  }
});

afterAll(async () => {
  for (const agent of Object.values(agents)) await agent.browser.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function agent(name: keyof typeof TONE): Agent {
  const found = agents[name];
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

describe('the softphone between two browsers', () => {
  it('registers by itself after sign-in, with an accessible screen', async () => {
    for (const name of ['agent1', 'agent2', 'agent3'] as const) {
      const { page } = agent(name);
      await waitForStatus(page, /^Registered as 100\d/);
    }
    expect(await phoneAxeViolations(agent('agent1').page)).toEqual([]);
  });

  it('agent1 calls 1002, agent2 answers, each hears the other’s tone', async () => {
    const caller = agent('agent1').page;
    const callee = agent('agent2').page;
    await phone(caller).getByLabel('Number or username').fill('1002');
    await phone(caller).getByLabel('Number or username').press('Enter');

    const ringing = phone(callee).getByRole('region', { name: 'Incoming call' });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Agent One');
    expect(await phoneAxeViolations(callee)).toEqual([]);
    await ringing.getByRole('button', { name: 'Answer' }).click();

    // The edge names whom the call reached (P-Asserted-Identity on its 200).
    await phone(caller).getByRole('heading', { name: 'In call with Agent Two' }).waitFor();
    await phone(callee)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(caller, TONE.agent2, true);
    await untilHears(callee, TONE.agent1, true);
    expect(await phoneAxeViolations(caller)).toEqual([]);
  });

  it('hold stops the audio both ways and resume brings it back', async () => {
    const caller = agent('agent1').page;
    const callee = agent('agent2').page;
    await phone(caller).getByRole('button', { name: 'Hold' }).click();
    await phone(caller).getByRole('button', { name: 'Resume' }).waitFor();
    await untilHears(callee, TONE.agent1, false);
    await untilHears(caller, TONE.agent2, false);

    await phone(caller).getByRole('button', { name: 'Resume' }).click();
    await phone(caller).getByRole('button', { name: 'Hold' }).waitFor();
    await untilHears(callee, TONE.agent1, true);
    await untilHears(caller, TONE.agent2, true);
  });

  it('DTMF tones pressed on the keypad arrive at the other side (RFC 4733)', async () => {
    const caller = agent('agent1').page;
    const callee = agent('agent2').page;
    await phone(caller).getByRole('button', { name: 'Keypad' }).click();
    const keys = phone(caller).getByRole('group', { name: 'Send tones' });
    // Digit 1 is 697 Hz + 1209 Hz: the receiving side plays telephone-events out as tones.
    const heard = listen(callee, [697, 1209], 1_500);
    await keys.getByRole('button', { name: '1' }).click();
    const spectrum = await heard;
    expect(hears(spectrum, 697, 20), JSON.stringify(spectrum)).toBe(true);
    expect(hears(spectrum, 1209, 20), JSON.stringify(spectrum)).toBe(true);
    expect(await phone(caller).getByText('Tones sent: 1').count()).toBe(1);
  });

  it('agent2 transfers blind to agent3, which connects agent1 and agent3', async () => {
    const caller = agent('agent1').page;
    const transferor = agent('agent2').page;
    const target = agent('agent3').page;
    await phone(transferor).getByRole('button', { name: 'Transfer' }).click();
    await phone(transferor).getByLabel('Transfer to (number or username)').fill('agent3');
    await phone(transferor)
      .getByRole('form', { name: 'Blind transfer' })
      .getByRole('button', { name: 'Transfer' })
      .click();

    const ringing = phone(target).getByRole('region', { name: /Incoming call|Call waiting/ });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Agent One');
    await ringing.getByRole('button', { name: 'Answer' }).click();
    await phone(transferor).getByText('The call was transferred.').waitFor();

    await phone(target)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(target, TONE.agent1, true);
    await untilHears(caller, TONE.agent3, true);
    // The transferred caller sees whom it is talking to now, not "1003".
    await phone(caller).getByRole('heading', { name: 'In call with Agent Three' }).waitFor();
  });

  it('hang up ends both sides and the call is in the history (API)', async () => {
    const caller = agent('agent1').page;
    const target = agent('agent3').page;
    await phone(caller).getByRole('button', { name: 'Hang up' }).click();
    await phone(target)
      .getByText(/hung up\.$/)
      .waitFor();
    await phone(caller)
      .getByText(/^Call with .* ended\.$/)
      .waitFor();
    expect(
      await phone(caller)
        .getByRole('heading', { name: /^In call with/ })
        .count(),
    ).toBe(0);
    expect(
      await phone(target)
        .getByRole('heading', { name: /^In call with/ })
        .count(),
    ).toBe(0);

    const { status, body } = await apiFromPage(caller, '/api/calls?limit=20');
    expect(status).toBe(200);
    const calls = callListSchema.parse(body);
    const toAgent3 = calls.items.find((call) => /1003|agent3/.test(call.to));
    expect(toAgent3, JSON.stringify(calls.items)).toBeDefined();
    expect(toAgent3?.answeredAt).not.toBeNull();
    expect(toAgent3?.endedAt).not.toBeNull();
    await phone(caller)
      .getByRole('region', { name: 'Recent calls' })
      .getByRole('button', { name: /^Call back/ })
      .first()
      .waitFor();

    for (const name of ['agent1', 'agent2', 'agent3'] as const)
      expect(agent(name).consoleProblems).toEqual([]);
  });
});
