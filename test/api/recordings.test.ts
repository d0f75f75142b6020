import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallList } from '../../contracts/calls';
import type { Recording, RecordingList } from '../../contracts/recordings';
import { MAX_RECORDING_CHUNK_BYTES } from '../../contracts/recordings';
import type { AuditEntry } from '../../contracts/audit';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { recordings } from '../../server/store/schema';
import { startEdgeServer, type EdgeTestServer } from '../sip/edge-test-server';
import { hangUp, SessionState, sessionState, TestPhone, type Inviter } from '../sip/sipjs-phone';
import { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';

/** Chromium's MediaRecorder stream (12.5 s, 440 Hz left, 660 Hz right), cut in 1 s chunks as it cuts it. */
const stream = readFileSync(new URL('../fixtures/mediarecorder-440-660.webm', import.meta.url));
const chunks = Array.from({ length: Math.ceil(stream.length / 4249) }, (_, i) =>
  stream.subarray(i * 4249, (i + 1) * 4249),
);

let server: EdgeTestServer;
let dataDir: string;
let phones: TestPhone[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-recordings-'));
  server = await startEdgeServer({ dataDir });
});
afterEach(async () => {
  for (const phone of phones) await phone.stop();
  phones = [];
  const started = Date.now();
  while (server.edge.dialogs().length > 0 && Date.now() - started < 3000)
    await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(username: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  const response = await client.signIn(username, server.passwords.get(username) ?? '');
  expect(response.status, response.text).toBe(200);
  return client;
}

async function setProfile(name: string, change: Parameters<typeof updateProfile>[2]): Promise<void> {
  const profile = await findProfileByName(server.db, name);
  if (!profile) throw new Error(name);
  await updateProfile(server.db, profile.id, change);
  server.deps.events.publish({ entity: 'profile', id: profile.id });
  // The directory reloads the profile on the event; give it its turn.
  await new Promise((r) => setTimeout(r, 50));
}

async function phone(user: string): Promise<TestPhone> {
  const p = await TestPhone.online({
    wsUrl: server.wsUrl,
    domain: server.config.sipDomain,
    user,
    password: server.passwords.get(user) ?? '',
  });
  phones.push(p);
  return p;
}

/** agent1 calls agent2 and agent2 answers: a live call through the edge; its Call-ID. */
async function liveCall(): Promise<{ callId: string; inviter: Inviter }> {
  const caller = await phone('agent1');
  const callee = await phone('agent2');
  const { inviter, final } = caller.call('1002');
  const invitation = await callee.nextInvitation();
  await invitation.accept();
  expect((await final).status).toBe(200);
  await sessionState(inviter, SessionState.Established);
  return { callId: invitation.request.callId, inviter };
}

/**
 * PUT with the bytes as they are (the ApiClient sends text), over node:http so that an early
 * answer (413 before the whole body is sent) is read rather than lost with the closed socket.
 */
function putBytes(client: ApiClient, id: string, seq: number, body: Uint8Array) {
  return new Promise<{ status: number; text: string; body: unknown }>((resolve, reject) => {
    const request = http.request(
      `${server.url}/api/recordings/${id}/chunks/${seq}`,
      {
        method: 'PUT',
        agent: false,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': body.length,
          cookie: client.sessionCookie ?? '',
        },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            text,
            body: text ? (JSON.parse(text) as unknown) : null,
          });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.end(Buffer.from(body));
  });
}

async function auditOf(id: string): Promise<AuditEntry[]> {
  const admin = await signIn('admin');
  const response = await admin.get<{ items: AuditEntry[] }>(`/api/audit?entity=recording&limit=100`);
  return response.body.items.filter((entry) => entry.entityId === id);
}

async function waitForState(id: string, state: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [row] = await server.db.select().from(recordings).where(eq(recordings.id, id));
    if (row?.state === state) return;
    if (Date.now() - started > timeoutMs) throw new Error(`recording ${id} is ${row?.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('call recording API', () => {
  it('the profile says whether one may record: off is refused with a sentence, /api/me carries the policy', async () => {
    await setProfile('agents', { recording: 'off' });
    const { callId } = await liveCall();
    const agent1 = await signIn('agent1');
    const me = await agent1.get<{ profile: { recording: string; recordingNotice: boolean } }>('/api/me');
    expect(me.body.profile).toMatchObject({ recording: 'off', recordingNotice: false });
    const refused = expectApiError(
      await agent1.post('/api/recordings', { json: { callId } }),
      403,
      'forbidden',
    );
    expect(refused.message).toBe(
      'Your profile does not record calls; a supervisor can turn recording on in the profile.',
    );
  });

  it('supervisors set recording on a profile (audited); agents may not', async () => {
    const supervisor = await signIn('supervisor');
    const agents = await findProfileByName(server.db, 'agents');
    const changed = await supervisor.patch<{ recording: string; recordingRetentionDays: number }>(
      `/api/profiles/${agents?.id}`,
      { json: { recording: 'on_demand', recordingRetentionDays: 30, recordingNotice: true } },
    );
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      recording: 'on_demand',
      recordingRetentionDays: 30,
      recordingNotice: true,
    });
    const bad = expectApiError(
      await supervisor.patch(`/api/profiles/${agents?.id}`, {
        json: { recording: 'sometimes', recordingRetentionDays: 0 },
      }),
      400,
    );
    expect(bad.fields).toMatchObject({
      recording: 'recording must be one of: off, always, on_demand',
      recordingRetentionDays: 'retention must be between 1 and 3650 days',
    });
    const agent = await signIn('agent1');
    expectApiError(await agent.patch(`/api/profiles/${agents?.id}`, { json: { recording: 'off' } }), 403);
  });

  it('only a party of a live, answered call may start; a second party gets a recording of their own', async () => {
    await setProfile('agents', { recording: 'on_demand' });
    const agent1 = await signIn('agent1');
    const notLive = expectApiError(
      await agent1.post('/api/recordings', { json: { callId: 'no-such-call' } }),
      403,
    );
    expect(notLive.message).toBe(
      'You may record only a call you are on right now; this call has ended or is not yours.',
    );
    const { callId } = await liveCall();
    const agent3 = await signIn('agent3');
    expectApiError(await agent3.post('/api/recordings', { json: { callId } }), 403);
    const started = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    expect(started.status, started.text).toBe(201);
    expect(started.body).toMatchObject({ callId, username: 'agent1', state: 'recording', pauses: [] });
    const again = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(started.body.id);
    const agent2 = await signIn('agent2');
    const own = await agent2.post<Recording>('/api/recordings', { json: { callId } });
    expect(own.status).toBe(201);
    expect(own.body.id).not.toBe(started.body.id);
  });

  it('chunks: only the owner, idempotent by sequence number, other bytes 409, too large 413, empty 400', async () => {
    await setProfile('agents', { recording: 'on_demand' });
    const { callId } = await liveCall();
    const agent1 = await signIn('agent1');
    const { body: recording } = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    const first = await putBytes(agent1, recording.id, 0, chunks[0]!);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ seq: 0, stored: true });
    const retry = await putBytes(agent1, recording.id, 0, chunks[0]!);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ seq: 0, stored: false });
    const other = await putBytes(agent1, recording.id, 0, chunks[1]!);
    expect(other.status).toBe(409);
    expect(JSON.parse(other.text).error.message).toBe(
      'Chunk 0 of this recording was already stored with other bytes; it is kept as it was.',
    );
    const agent2 = await signIn('agent2');
    const notOwner = await putBytes(agent2, recording.id, 1, chunks[1]!);
    expect(notOwner.status).toBe(403);
    expect(JSON.parse(notOwner.text).error.message).toBe(
      'Only agent1, who is making this recording, may change it.',
    );
    const huge = await putBytes(agent1, recording.id, 1, new Uint8Array(MAX_RECORDING_CHUNK_BYTES + 1));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).error.message).toBe(
      'A recording chunk may be at most 256 KB; send chunks of one second.',
    );
    const empty = await putBytes(agent1, recording.id, 1, new Uint8Array(0));
    expect(empty.status).toBe(400);
    const badSeq = await putBytes(agent1, recording.id, -1 as number, chunks[1]!);
    expect(badSeq.status).toBe(400);
    expect(existsSync(path.join(dataDir, 'recordings', recording.id, '0.webm'))).toBe(true);
  });

  it('a recorded call end to end: pause and resume marked, the server finishes on hang-up, privacy, Range, audit, delete', async () => {
    await setProfile('agents', { recording: 'always' });
    const { callId, inviter } = await liveCall();
    const agent1 = await signIn('agent1');
    const { body: recording } = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    for (const [seq, chunk] of chunks.entries())
      if (seq !== 5) expect((await putBytes(agent1, recording.id, seq, chunk)).status).toBe(200);
    const pause = await agent1.post<Recording>(`/api/recordings/${recording.id}/marks`, {
      json: { kind: 'pause', offsetMs: 4000 },
    });
    expect(pause.status, pause.text).toBe(200);
    expectApiError(
      await agent1.post(`/api/recordings/${recording.id}/marks`, { json: { kind: 'pause', offsetMs: 4100 } }),
      409,
    );
    const resume = await agent1.post<Recording>(`/api/recordings/${recording.id}/marks`, {
      json: { kind: 'resume', offsetMs: 9000 },
    });
    expect(resume.body.pauses).toEqual([
      expect.objectContaining({ byUsername: 'agent1', offsetMs: 4000, durationMs: 5000 }),
    ]);
    const stop = expectApiError(await agent1.post(`/api/recordings/${recording.id}/finish`), 403);
    expect(stop.message).toBe(
      'Your profile records every call, so the recording cannot be stopped; pause it while the customer gives payment details.',
    );
    const early = expectApiError(await agent1.get(`/api/recordings/${recording.id}/audio`), 409);
    expect(early.message).toBe(
      'This recording is still being made; it can be played once the call has ended.',
    );

    expect(await hangUp(inviter)).toBe(200);
    await waitForState(recording.id, 'ready');

    const list = await agent1.get<RecordingList>(`/api/recordings?callId=${encodeURIComponent(callId)}`);
    expect(list.status).toBe(200);
    const [ready] = list.body.items;
    expect(ready).toMatchObject({ id: recording.id, state: 'ready', username: 'agent1' });
    expect(ready!.durationMs).toBeGreaterThan(12_300);
    expect(ready!.durationMs).toBeLessThan(12_700);
    expect(existsSync(path.join(dataDir, 'recordings', recording.id, '5.webm'))).toBe(false);

    const supervisor = await signIn('supervisor');
    const calls = await supervisor.get<CallList>('/api/calls?limit=50');
    const record = calls.body.items.find((call) => call.callId === callId);
    expect(record?.recordings).toEqual([
      expect.objectContaining({
        id: recording.id,
        username: 'agent1',
        state: 'ready',
        durationMs: ready!.durationMs,
      }),
    ]);
    expect(record?.recordings[0]?.pauses[0]).toMatchObject({ byUsername: 'agent1', durationMs: 5000 });

    // Privacy as call history: the parties, the barge group's operator, supervisors and admins.
    const whole = await agent1.get(`/api/recordings/${recording.id}/audio`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/webm');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const size = Number(whole.headers.get('content-length'));
    expect(size).toBe(ready!.bytes);
    const part = await agent1.get(`/api/recordings/${recording.id}/audio`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(part.headers.get('content-length')).toBe('100');
    const beyond = await agent1.get(`/api/recordings/${recording.id}/audio`, {
      headers: { range: `bytes=${size}-` },
    });
    expect(beyond.status).toBe(416);
    for (const who of ['agent2', 'operator', 'supervisor', 'admin'])
      expect((await (await signIn(who)).get(`/api/recordings/${recording.id}/audio`)).status, who).toBe(200);
    const outsider = expectApiError(
      await (await signIn('agent3')).get(`/api/recordings/${recording.id}/audio`),
      403,
    );
    expect(outsider.message).toBe('You may hear only the recordings of your own calls.');
    expectApiError(
      await (await signIn('agent3')).get(`/api/recordings?callId=${encodeURIComponent(callId)}`),
      403,
    );
    const download = await supervisor.get(`/api/recordings/${recording.id}/audio?download=1`);
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="recording-.*-agent1\.webm"$/,
    );

    const audit = await auditOf(recording.id);
    const actions = audit.map((entry) => `${entry.action} ${entry.actorUsername}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'recording.start agent1',
        'recording.pause agent1',
        'recording.resume agent1',
        'recording.stop system',
        'recording.play agent1',
        'recording.play operator',
        'recording.download supervisor',
      ]),
    );
    // A seek (a range not from 0) is not another play.
    expect(actions.filter((a) => a === 'recording.play agent1')).toHaveLength(1);

    expectApiError(await supervisor.delete(`/api/recordings/${recording.id}`), 403);
    const admin = await signIn('admin');
    expect((await admin.delete(`/api/recordings/${recording.id}`)).status).toBe(204);
    expect(existsSync(path.join(dataDir, 'recordings', recording.id))).toBe(false);
    expect((await auditOf(recording.id)).map((e) => `${e.action} ${e.actorUsername}`)).toContain(
      'recording.delete admin',
    );
    expectApiError(await admin.get(`/api/recordings/${recording.id}/audio`), 404);
  });

  it('on demand the agent may stop while the call lasts; an agent whose privacy hides the other party is refused', async () => {
    await setProfile('agents', { recording: 'on_demand' });
    const { callId } = await liveCall();
    const agent1 = await signIn('agent1');
    const { body: recording } = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    for (const [seq, chunk] of chunks.slice(0, 4).entries()) await putBytes(agent1, recording.id, seq, chunk);
    const finished = await agent1.post<Recording>(`/api/recordings/${recording.id}/finish`);
    expect(finished.status, finished.text).toBe(200);
    expect(finished.body.state).toBe('ready');
    expect(finished.body.durationMs).toBeGreaterThan(3_000);
    const late = await putBytes(agent1, recording.id, 4, chunks[4]!);
    expect(late.status).toBe(409);
    const admin = await signIn('admin');
    const agent1Id = (await agent1.get<{ user: { id: number } }>('/api/me')).body.user.id;
    expect((await admin.patch(`/api/users/${agent1Id}`, { json: { callListPrivacy: 'none' } })).status).toBe(
      200,
    );
    await new Promise((r) => setTimeout(r, 50));
    const hidden = expectApiError(await agent1.get(`/api/recordings/${recording.id}/audio`), 403);
    expect(hidden.message).toBe(
      'Your call-list privacy hides the other party of your calls, so their recordings are not offered to you.',
    );
    await admin.patch(`/api/users/${agent1Id}`, { json: { callListPrivacy: 'complete' } });
  });

  it('retention deletes expired recordings by itself, audited as the system', async () => {
    await setProfile('agents', { recording: 'on_demand' });
    const { callId } = await liveCall();
    const agent1 = await signIn('agent1');
    const { body: recording } = await agent1.post<Recording>('/api/recordings', { json: { callId } });
    await putBytes(agent1, recording.id, 0, chunks[0]!);
    await agent1.post(`/api/recordings/${recording.id}/finish`);
    await server.db
      .update(recordings)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(recordings.id, recording.id));
    expect(await server.deps.recordings.sweep()).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(dataDir, 'recordings', recording.id))).toBe(false);
    expect((await auditOf(recording.id)).map((e) => `${e.action} ${e.actorUsername}`)).toContain(
      'recording.expire system',
    );
    const list = await agent1.get<RecordingList>(`/api/recordings?callId=${encodeURIComponent(callId)}`);
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('role × route: signed out 401 everywhere; bad input 400 with fields', async () => {
    const anonymous = new ApiClient(server.url);
    const id = '00000000-0000-0000-0000-000000000000';
    for (const [method, route] of [
      ['GET', '/api/recordings?callId=x'],
      ['POST', '/api/recordings'],
      ['PUT', `/api/recordings/${id}/chunks/0`],
      ['POST', `/api/recordings/${id}/marks`],
      ['POST', `/api/recordings/${id}/finish`],
      ['GET', `/api/recordings/${id}/audio`],
      ['DELETE', `/api/recordings/${id}`],
    ] as const)
      expectApiError(
        await anonymous.request(method, route, {
          json: method === 'GET' || method === 'DELETE' ? undefined : {},
        }),
        401,
      );
    const agent1 = await signIn('agent1');
    const bad = expectApiError(await agent1.post('/api/recordings', { json: { callId: '', extra: 1 } }), 400);
    expect(bad.fields).toMatchObject({
      callId: 'callId must not be empty',
      extra: 'extra is not a known field',
    });
    const badMark = expectApiError(
      await agent1.post(`/api/recordings/${id}/marks`, { json: { kind: 'stop', offsetMs: -1 } }),
      400,
    );
    expect(badMark.fields).toMatchObject({
      kind: 'kind must be pause or resume',
      offsetMs: 'offsetMs must not be negative',
    });
    expectApiError(await agent1.get('/api/recordings/not-an-id/audio'), 400);
    expectApiError(await agent1.get(`/api/recordings/${id}/audio`), 404);
    expectApiError(await agent1.get('/api/recordings'), 400);
  });
});
