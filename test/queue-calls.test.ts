import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { myAgentStateSchema, type MyAgentState } from '../contracts/agent-states';
import { queueCallListSchema } from '../contracts/queue-reports';
import { wallboardSchema, type Queue } from '../contracts/queues';
import { ApiClient } from './api/support/api-client';
import { launchAgent, phone, untilHears, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// The contact center in real Chromium: three agents and a caller, each speaking its own tone.
// agent1 is Available; agent2 stays Not ready; agent3 is Available but on a direct call with
// agent2. The supervisor dials the queue and must reach agent1, and only agent1.
const TONE = { agent1: 500, agent2: 1000, agent3: 1700, supervisor: 2300 } as const;
type Person = keyof typeof TONE;

let server: ServerProcess;
let folder: string;
let admin: ApiClient;
let queue: Queue;
const people: Partial<Record<Person, Agent>> = {};

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.apiUrl);
  expect((await admin.signIn('admin', server.logins.admin?.password ?? '')).status).toBe(200);
  const users = await admin.get<{ items: { id: number; username: string }[] }>('/api/users?q=agent');
  const idOf = (name: string) => users.body.items.find((u) => u.username === name)?.id ?? 0;
  const reason = await admin.post('/api/reason-codes', { json: { code: 'break', label: 'Break' } });
  expect(reason.status, reason.text).toBe(201);
  const created = await admin.post<Queue>('/api/queues', {
    json: {
      name: 'sales',
      extension: '2100',
      members: ['agent1', 'agent2', 'agent3'].map((name) => ({ kind: 'user', userId: idOf(name) })),
      ringSeconds: 15,
      wrapUpSeconds: 120,
      dispositions: ['solved', 'callback'],
    },
  });
  expect(created.status, created.text).toBe(201);
  queue = created.body;

  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-queue-'));
  await Promise.all(
    Object.entries(TONE).map(async ([username, hz]) => {
      const wav = path.join(folder, `${username}.wav`);
      await writeToneWav(wav, hz);
      people[username as Person] = await launchAgent(server, username, wav);
    }),
  );
});

afterAll(async () => {
  for (const person of Object.values(people)) await person.browser.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function page(name: Person): Page {
  const found = people[name]?.page;
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

const agentState = (name: Person) => phone(page(name)).getByRole('region', { name: 'Agent state' });

/** The person's state as the server has it (read from their page, with their session). */
async function stateOf(name: Person): Promise<MyAgentState> {
  const body = await page(name).evaluate(async () => (await fetch('/api/me/state')).json());
  return myAgentStateSchema.parse(body);
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function wallboard() {
  const response = await admin.get('/api/queues/wallboard');
  expect(response.status, response.text).toBe(200);
  const figures = wallboardSchema.parse(response.body).queues.find((q) => q.queueId === queue.id);
  if (!figures) throw new Error('The wallboard does not list the queue.');
  return figures;
}

async function dial(name: Person, number: string) {
  await phone(page(name)).getByLabel('Number or username').fill(number);
  await phone(page(name)).getByLabel('Number or username').press('Enter');
}

describe('a queue call between browsers', () => {
  it('the agents sign in Not ready; agent1 goes Available, agent3 too but takes a direct call from agent2', async () => {
    for (const name of ['agent1', 'agent2', 'agent3', 'supervisor'] as const)
      await waitForStatus(page(name), /^Registered as /);
    for (const name of ['agent1', 'agent2', 'agent3'] as const)
      await agentState(name).getByText('Not ready — Just signed in').waitFor();
    // The supervisor is in no queue: the phone shows no agent state.
    expect(await stateOf('supervisor')).toMatchObject({ inQueues: false });
    expect(await agentState('supervisor').count()).toBe(0);

    for (const name of ['agent1', 'agent3'] as const) {
      await agentState(name).getByRole('button', { name: 'Available' }).click();
      await agentState(name).getByRole('status', { name: 'Your state' }).getByText('Available').waitFor();
    }
    await dial('agent2', '1003');
    const ringing = phone(page('agent3')).getByRole('region', { name: 'Incoming call' });
    await ringing.getByRole('button', { name: 'Answer' }).click();
    await phone(page('agent2'))
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    expect((await stateOf('agent2')).state).toBe('not_ready');
  });

  it('the caller dials the queue and reaches agent1 (the only free Available agent); both hear each other', async () => {
    await dial('supervisor', queue.extension);
    const ringing = phone(page('agent1')).getByRole('region', { name: 'Incoming call' });
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Supervisor');
    expect((await stateOf('agent1')).state).toBe('ringing');
    expect(await wallboard()).toMatchObject({ waiting: 1 });
    await ringing.getByRole('button', { name: 'Answer' }).click();

    await phone(page('supervisor'))
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(page('supervisor'), TONE.agent1, true);
    await untilHears(page('agent1'), TONE.supervisor, true);
    expect((await stateOf('agent1')).state).toBe('on_call');
    // Nobody else was offered the call.
    expect(
      await phone(page('agent3'))
        .getByRole('region', { name: /Call waiting|Incoming call/ })
        .count(),
    ).toBe(0);
  });

  it('the caller hangs up; agent1 picks a disposition in wrap-up and ends it', async () => {
    await phone(page('supervisor')).getByRole('button', { name: 'Hang up' }).click();
    const control = agentState('agent1');
    await control.getByRole('status', { name: 'Your state' }).getByText('Wrap-up').waitFor();
    await control.getByLabel('Disposition').selectOption('solved');
    await control.getByLabel('Note (optional)').fill('Order placed');
    await control.getByRole('button', { name: 'Save disposition' }).click();
    await control.getByText('Saved: solved.').waitFor();
    await control.getByRole('button', { name: 'End wrap-up' }).click();
    await control.getByRole('status', { name: 'Your state' }).getByText('Available').waitFor();

    const calls = await admin.get('/api/queue-calls');
    const list = queueCallListSchema.parse(calls.body);
    expect(list.items.filter((c) => c.queueId === queue.id)).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        agentUsername: 'agent1',
        disposition: 'solved',
        note: 'Order placed',
      }),
    ]);
  });

  it('with nobody free the next caller waits and gives up: abandoned; the wallboard shows what happened', async () => {
    await agentState('agent1').getByRole('button', { name: 'Not ready: Break' }).click();
    await agentState('agent1').getByText('Not ready — Break').waitFor();
    await dial('supervisor', queue.extension);
    await until(wallboard, (q) => q.waiting === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await phone(page('supervisor')).getByRole('button', { name: 'Cancel call' }).click();

    const figures = await until(wallboard, (q) => q.abandonedToday === 1);
    expect(figures).toMatchObject({ waiting: 0, answeredToday: 1, abandonedToday: 1, serviceLevel: 1 });
    // agent1 Not ready; agent2 Not ready; agent3 Available (on a direct call, not a queue call).
    expect(figures.agents).toMatchObject({ available: 1, notReady: 2, busy: 0, offline: 0 });

    await phone(page('agent2')).getByRole('button', { name: 'Hang up' }).click();
    await phone(page('agent3'))
      .getByText(/hung up\.$/)
      .waitFor();
    for (const name of ['agent1', 'agent2', 'agent3', 'supervisor'] as const)
      expect(people[name]?.consoleProblems).toEqual([]);
  });
});
