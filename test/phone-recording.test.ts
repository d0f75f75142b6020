import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallList } from '../contracts/calls';
import type { RecordingList } from '../contracts/recordings';
import type { AuditEntry } from '../contracts/audit';
import { ApiClient } from './api/support/api-client';
import { hears, launchAgent, phone, untilHears, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';
import { pcmSpectrum, readWav, type Pcm } from './support/wav-spectrum';

// Two agents in two Chromium processes with their own tones; their profile records every call.
const TONE = { agent1: 500, agent2: 1000 } as const;
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

let server: ServerProcess;
let folder: string;
const agents: Record<string, Agent> = {};
let supervisor: ApiClient;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  if (!hasFfmpeg) return;
  server = await startServer({ env: { SIP_GRACE_SECONDS: '3' } });
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-recording-'));
  supervisor = new ApiClient(server.apiUrl);
  await supervisor.signIn('supervisor', server.logins.supervisor?.password ?? '');
  const profiles = await supervisor.get<{ items: { id: number; name: string }[] }>('/api/profiles');
  const agentsProfile = profiles.body.items.find((profile) => profile.name === 'agents');
  const changed = await supervisor.patch(`/api/profiles/${agentsProfile?.id}`, {
    json: { recording: 'always' },
  });
  expect(changed.status, changed.text).toBe(200);
  for (const [username, hz] of Object.entries(TONE)) {
    const wav = path.join(folder, `${username}.wav`);
    await writeToneWav(wav, hz);
    agents[username] = await launchAgent(server, username, wav);
  }
});

afterAll(async () => {
  for (const agent of Object.values(agents)) await agent.browser.close().catch(() => undefined);
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function agent(name: keyof typeof TONE): Agent {
  const found = agents[name];
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

async function call(): Promise<void> {
  const caller = agent('agent1').page;
  const callee = agent('agent2').page;
  await waitForStatus(caller, /^Registered as 1001/);
  await waitForStatus(callee, /^Registered as 1002/);
  await phone(caller).getByLabel('Number or username').fill('1002');
  await phone(caller).getByLabel('Number or username').press('Enter');
  const ringing = phone(callee).getByRole('region', { name: 'Incoming call' });
  await ringing.waitFor();
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await untilHears(caller, TONE.agent2, true);
  await phone(caller)
    .getByRole('status')
    .filter({ hasText: /^Recording$/ })
    .waitFor();
}

async function latestCall() {
  const calls = await supervisor.get<CallList>('/api/calls?limit=1');
  const latest = calls.body.items[0];
  if (!latest) throw new Error('no call record');
  return latest;
}

async function readyRecordings(
  callId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<RecordingList['items']> {
  const started = Date.now();
  for (;;) {
    const list = await supervisor.get<RecordingList>(`/api/recordings?callId=${encodeURIComponent(callId)}`);
    const ready = list.body.items.filter((item) => item.state !== 'recording');
    if (ready.length >= count) return list.body.items;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `recordings of ${callId}: ${JSON.stringify(list.body.items.map((item) => item.state))}`,
      );
    await sleep(250);
  }
}

/** Downloads a recording and decodes each channel to its own WAV with ffmpeg. */
async function decode(id: string): Promise<{ durationS: number; left: Pcm; right: Pcm }> {
  const response = await fetch(`${server.apiUrl}/api/recordings/${id}/audio?download=1`, {
    headers: { cookie: supervisor.sessionCookie ?? '' },
  });
  expect(response.status).toBe(200);
  const file = path.join(folder, `${id}.webm`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  const durationS = Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])
      .toString()
      .trim(),
  );
  const channel = async (index: number) => {
    const wav = path.join(folder, `${id}-${index}.wav`);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      file,
      '-af',
      `pan=mono|c0=c${index}`,
      '-ar',
      '48000',
      wav,
    ]);
    return readWav(wav);
  };
  return { durationS, left: await channel(0), right: await channel(1) };
}

/** The spectrum of `pcm` from `fromS` for `seconds`. */
function spanOf(pcm: Pcm, fromS: number, seconds: number, tones: number[]) {
  const start = Math.round(fromS * pcm.rate);
  const samples = pcm.samples.subarray(start, start + Math.round(seconds * pcm.rate));
  return pcmSpectrum({ rate: pcm.rate, samples }, tones, seconds);
}

describe.skipIf(!hasFfmpeg)(
  'call recording in the agent’s browser (needs ffmpeg: apt-get install ffmpeg)',
  () => {
    it('a recorded call with a 5 s pause: duration, left the agent, right the other party, the pause silent and named', async () => {
      await call();
      const caller = phone(agent('agent1').page);
      await sleep(3_000);
      await caller.getByRole('button', { name: 'Pause recording' }).click();
      await caller.getByRole('status').filter({ hasText: 'Recording paused' }).waitFor();
      await sleep(5_000);
      await caller.getByRole('button', { name: 'Resume recording' }).click();
      await caller
        .getByRole('status')
        .filter({ hasText: /^Recording$/ })
        .waitFor();
      await sleep(3_000);
      await caller.getByRole('button', { name: 'Hang up' }).click();

      const record = await latestCall();
      const recordings = await readyRecordings(record.callId, 2);
      // Both parties' profiles record: one recording each, each its own view.
      expect(recordings.map((item) => item.username).sort()).toEqual(['agent1', 'agent2']);
      const mine = recordings.find((item) => item.username === 'agent1');
      if (!mine) throw new Error('no recording by agent1');
      expect(mine.state).toBe('ready');
      const [pause] = mine.pauses;
      expect(pause).toMatchObject({ byUsername: 'agent1' });
      expect(pause?.durationMs).toBeGreaterThan(4_500);
      expect(pause?.durationMs).toBeLessThan(6_000);

      const called = (await latestCall()) ?? record;
      const callS = (Date.parse(called.endedAt ?? '') - Date.parse(called.answeredAt ?? '')) / 1000;
      const { durationS, left, right } = await decode(mine.id);
      expect(Math.abs(durationS - callS), `file ${durationS} s, call ${callS} s`).toBeLessThan(1);

      const tones = [TONE.agent1, TONE.agent2];
      const before = (pause?.offsetMs ?? 0) / 1000;
      const spoken = Math.max(0.5, before - 1.5);
      const leftTalk = spanOf(left, spoken, 1, tones);
      const rightTalk = spanOf(right, spoken, 1, tones);
      // Each side holds its own tone; the other leaks in only as Opus's stereo coding lets it at
      // 48 kbps (≈ 60 dB below), far under anything a listener hears beside the tone.
      const apart = (spectrum: typeof leftTalk, own: number, other: number) =>
        (spectrum.levels[own] ?? -Infinity) - (spectrum.levels[other] ?? -Infinity);
      expect(hears(leftTalk, TONE.agent1), JSON.stringify(leftTalk)).toBe(true);
      expect(apart(leftTalk, TONE.agent1, TONE.agent2), JSON.stringify(leftTalk)).toBeGreaterThan(40);
      expect(hears(rightTalk, TONE.agent2), JSON.stringify(rightTalk)).toBe(true);
      expect(apart(rightTalk, TONE.agent2, TONE.agent1), JSON.stringify(rightTalk)).toBeGreaterThan(40);
      // The middle of the pause: nothing on either side.
      const pausedFrom = before + 1;
      for (const side of [left, right]) {
        const quiet = spanOf(side, pausedFrom, 3, tones);
        expect(
          Math.max(...tones.map((hz) => quiet.levels[hz] ?? -Infinity)),
          JSON.stringify(quiet),
        ).toBeLessThan(-80);
      }

      const audit = await supervisor.get<{ items: AuditEntry[] }>('/api/audit?entity=recording&limit=50');
      const names = audit.body.items
        .filter((entry) => entry.entityId === mine.id)
        .map((entry) => `${entry.action} ${entry.actorUsername}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'recording.start agent1',
          'recording.pause agent1',
          'recording.resume agent1',
        ]),
      );
      const onRecord = (await latestCall()).recordings.find((item) => item.id === mine.id);
      expect(onRecord?.pauses[0]).toMatchObject({ byUsername: 'agent1' });
    });

    it('a tab killed mid-call: the server finishes the recording by itself, at most 2 s lost', async () => {
      await call();
      const answeredAt = Date.now();
      await sleep(6_000);
      const killedAt = Date.now();
      // The renderer dies as in a crash: no pagehide, no last chunk, no finish.
      await agent('agent1')
        .page.goto('chrome://crash')
        .catch(() => undefined);
      const record = await latestCall();
      const recordings = await readyRecordings(record.callId, 2, 45_000);
      const mine = recordings.find((item) => item.username === 'agent1');
      expect(mine?.state).toBe('ready');
      const recordedMs = mine?.durationMs ?? 0;
      // The recording starts a moment after the answer; what is missing at the end is the loss.
      expect(
        killedAt - answeredAt - recordedMs,
        `recorded ${recordedMs} ms of ${killedAt - answeredAt}`,
      ).toBeLessThan(2_000);
    });
  },
);
