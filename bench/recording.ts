/**
 * What recording costs the phone that records: two Chromium processes on a call through the real
 * server (agent1 calls agent2, each with its own tone as microphone; their profile records on
 * demand). Rounds alternate, plain then recorded (agent1 presses Record), ROUNDS=… of each
 * (default 3), each measured over WINDOW_S=… seconds (default 20) of an established call. Prints:
 *   - the CPU of agent1's Chromium (renderer, and all its processes) over each window, from the
 *     browser's own process counters, median over the rounds of each kind;
 *   - upload requests per minute (PUT …/chunks/… leaving agent1's page in the window);
 *   - bytes per minute of the stored recording (its size ÷ its duration, as the API lists it).
 *
 *   npm run bench:recording            (or: npx tsx bench/recording.ts)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CallList } from '../contracts/calls';
import type { RecordingList } from '../contracts/recordings';
import { ApiClient } from '../test/api/support/api-client';
import { launchAgent, phone, waitForStatus, writeToneWav } from '../test/support/phone-page';
import type { Agent } from '../test/support/phone-page';
import { startServer } from '../test/support/server-process';
import { percentile } from './percentiles';
import { toneWatcher } from './tone-watcher';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WINDOW_MS = Number(process.env.WINDOW_S ?? 20) * 1000;
const TONE = { agent1: 500, agent2: 1000 } as const;

type ProcessCpu = { renderer: number; all: number };

/** CPU seconds used so far by the browser's processes (SystemInfo.getProcessInfo). */
async function cpuSeconds(browser: Browser): Promise<ProcessCpu> {
  const session = await browser.newBrowserCDPSession();
  const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  await session.detach();
  return {
    renderer: processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0),
    all: processInfo.reduce((sum, p) => sum + p.cpuTime, 0),
  };
}

type Round = { cpu: ProcessCpu; uploads: number; bytesPerMinute: number | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** agent1 calls agent2 and waits until each hears the other. */
async function connect(caller: Page, callee: Page): Promise<void> {
  await phone(caller).getByLabel('Number or username').fill('1002');
  await phone(caller).getByLabel('Number or username').press('Enter');
  const ringing = phone(callee).getByRole('region', { name: 'Incoming call' });
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await caller.evaluate<number>(`window.__untilTone(${TONE.agent2}, true)`);
  await callee.evaluate<number>(`window.__untilTone(${TONE.agent1}, true)`);
}

async function hangUp(caller: Page, callee: Page): Promise<void> {
  await phone(caller).getByRole('button', { name: 'Hang up' }).click();
  await phone(callee)
    .getByRole('heading', { name: /^In call with/ })
    .waitFor({ state: 'detached' });
}

/** The recording's bytes ÷ its duration, once the server has made the file. */
async function bytesPerMinute(api: ApiClient): Promise<number> {
  const calls = await api.get<CallList>('/api/calls?limit=1');
  const callId = calls.body.items[0]?.callId;
  if (!callId) throw new Error('The call left no call record.');
  const started = Date.now();
  for (;;) {
    const list = await api.get<RecordingList>(`/api/recordings?callId=${encodeURIComponent(callId)}`);
    const recording = list.body.items.find((item) => item.state !== 'recording');
    if (recording) {
      if (recording.state !== 'ready' || !recording.durationMs)
        throw new Error(`The recording of ${callId} is ${recording.state}.`);
      return (recording.bytes / recording.durationMs) * 60_000;
    }
    if (Date.now() - started > 30_000) throw new Error(`The recording of ${callId} was never finished.`);
    await sleep(250);
  }
}

async function round(caller: Agent, callee: Agent, api: ApiClient, recorded: boolean): Promise<Round> {
  await connect(caller.page, callee.page);
  if (recorded) {
    await phone(caller.page).getByRole('button', { name: 'Record' }).click();
    await phone(caller.page)
      .getByRole('status')
      .filter({ hasText: /^Recording$/ })
      .waitFor();
  }
  let uploads = 0;
  const counted = (request: { method(): string; url(): string }) => {
    if (request.method() === 'PUT' && /\/api\/recordings\/[^/]+\/chunks\/\d+$/.test(request.url()))
      uploads += 1;
  };
  const before = await cpuSeconds(caller.browser.browser);
  caller.page.on('request', counted);
  await sleep(WINDOW_MS);
  caller.page.off('request', counted);
  const after = await cpuSeconds(caller.browser.browser);
  const share = (seconds: number) => (seconds / (WINDOW_MS / 1000)) * 100;
  const cpu = { renderer: share(after.renderer - before.renderer), all: share(after.all - before.all) };
  await hangUp(caller.page, callee.page);
  return { cpu, uploads, bytesPerMinute: recorded ? await bytesPerMinute(api) : null };
}

async function main(): Promise<void> {
  const server = await startServer();
  const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-recording-'));
  const people: Agent[] = [];
  try {
    const api = new ApiClient(server.apiUrl);
    await api.signIn('supervisor', server.logins.supervisor?.password ?? '');
    const profiles = await api.get<{ items: { id: number; name: string }[] }>('/api/profiles');
    const agents = profiles.body.items.find((profile) => profile.name === 'agents');
    const changed = await api.patch(`/api/profiles/${agents?.id}`, { json: { recording: 'on_demand' } });
    if (changed.status !== 200) throw new Error(`Could not set the profile to record: ${changed.text}`);
    for (const [username, hz] of Object.entries(TONE)) {
      const wav = path.join(folder, `${username}.wav`);
      await writeToneWav(wav, hz, 60);
      people.push(await launchAgent(server, username, wav));
    }
    const [caller, callee] = people;
    if (!caller || !callee) throw new Error('A browser did not start.');
    for (const person of people) await person.page.evaluate(toneWatcher);
    await waitForStatus(caller.page, /^Registered as 1001/);
    await waitForStatus(callee.page, /^Registered as 1002/);

    // One unmeasured call of each kind warms up the microphone, the audio context and the recorder.
    await round(caller, callee, api, false);
    await round(caller, callee, api, true);
    const plain: Round[] = [];
    const recorded: Round[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      plain.push(await round(caller, callee, api, false));
      recorded.push(await round(caller, callee, api, true));
    }

    const median = (values: number[]) => percentile(values, 50);
    const range = (values: number[], digits = 1) =>
      `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
    const perMinute = 60_000 / WINDOW_MS;
    console.log(
      `Recording in the agent's browser, ${ROUNDS} plain and ${ROUNDS} recorded calls alternating, ${WINDOW_MS / 1000} s each (median (min–max)):`,
    );
    for (const [label, rounds] of [
      ['plain call', plain],
      ['recorded call', recorded],
    ] as const) {
      console.log(
        `  agent1's Chromium, ${label.padEnd(14)} renderer ${range(rounds.map((r) => r.cpu.renderer))} %  all processes ${range(rounds.map((r) => r.cpu.all))} % of one core`,
      );
    }
    console.log(
      `  recorded − plain (medians)        renderer ${(median(recorded.map((r) => r.cpu.renderer)) - median(plain.map((r) => r.cpu.renderer))).toFixed(1)} %  all processes ${(median(recorded.map((r) => r.cpu.all)) - median(plain.map((r) => r.cpu.all))).toFixed(1)} % of one core`,
    );
    console.log(
      `  upload requests per minute        ${range(
        recorded.map((r) => r.uploads * perMinute),
        0,
      )} (plain calls: ${Math.max(...plain.map((r) => r.uploads))})`,
    );
    const bytes = recorded.map((r) => (r.bytesPerMinute ?? NaN) / 1024);
    console.log(
      `  stored recording                  ${range(bytes, 0)} KB per minute (${((median(bytes) * 1024 * 8) / 60_000).toFixed(1)} kbit/s)`,
    );
    const problems = people.flatMap((person) => person.consoleProblems);
    if (problems.length) console.log(`Console problems:\n${problems.join('\n')}`);
  } finally {
    for (const person of people) await person.browser.close();
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
