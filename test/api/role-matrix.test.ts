import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contracts/events';
import { roles } from '../../contracts/roles';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { insertRecording } from '../../server/store/recordings-repository';
import { callRecords } from '../../server/store/schema';
import { describesMutation, eventsFor } from '../../src/testing/mutation-events';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { demoUser, everyone, from, type Who } from './support/roles';
import {
  makeGroup,
  makeNumber,
  makeProfile,
  makeTrunk,
  makeUser,
  uniqueExtension,
  uniqueName,
  uniqueNumber,
} from './support/fixtures';
import { groupId, profileId, userId } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Every route × every role, and signed out. The expected statuses are written from the policy
 * in docs/architecture.md ("Roles") and contracts/policy/console-access.ts, not from what the server answers.
 */
type Target = { path: string; json?: unknown; /** Sent as application/octet-stream. */ bytes?: string };
type Case = {
  route: string;
  /** Builds the request, creating whatever throwaway rows it targets. */
  target: (who: Who) => Promise<Target>;
  expected: Record<Who, number>;
  /** Sign in afresh for this case (for routes that end the session). */
  freshSession?: boolean;
};

const all = (status: number) =>
  Object.fromEntries(everyone.map((who) => [who, status])) as Record<Who, number>;

let server: TestServer;
let dataDir: string;
const clients = new Map<Who, ApiClient>();
let ids: { agents: number; supervisors: number; floor1: number; agent1: number; agent2: number };
/** What the server published on its event bus since the last case started. */
const heard: LiveEvent[] = [];
const userIdOf = new Map<Who, number | null>([['signed out', null]]);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-role-matrix-'));
  // On PostgreSQL (TEST_DATABASE_URL) recordings are kept in it, as DATABASE_URL makes the server do.
  const onPostgres = process.env.TEST_DATABASE_URL;
  server = await startTestServer({
    env: { DATA_DIR: dataDir, ...(onPostgres ? { DATABASE_URL: onPostgres } : {}) },
  });
  clients.set('signed out', server.client());
  for (const role of roles) {
    clients.set(role, await server.signIn(demoUser[role]));
    userIdOf.set(role, await userId(server.db, demoUser[role]));
  }
  server.events.subscribe((event) => heard.push(event));
  ids = {
    agents: await profileId(server.db, 'agents'),
    supervisors: await profileId(server.db, 'supervisors'),
    floor1: await groupId(server.db, 'floor_1'),
    agent1: await userId(server.db, 'agent1'),
    agent2: await userId(server.db, 'agent2'),
  };
  // agent1 may record (on demand), so that upload, pause and finish reach the owner check.
  const agents = await findProfileByName(server.db, 'agents');
  if (!agents) throw new Error('no agents profile');
  await updateProfile(server.db, agents.id, { recording: 'on_demand' });
  server.events.publish({ entity: 'profile', id: agents.id });
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** An ended call between two users, as the edge records it; its Call-ID. */
async function makeCall(fromUserId: number, toUserId: number): Promise<string> {
  const callId = `matrix-${randomUUID()}`;
  await server.db.insert(callRecords).values({
    callId,
    fromUri: `sip:${fromUserId}@switchboard.local`,
    fromUserId,
    toUri: `sip:${toUserId}@switchboard.local`,
    toUserId,
    answeredAt: new Date(Date.now() - 60_000),
    endedAt: new Date(),
    disposition: 'answered',
  });
  return callId;
}

/** A recording `owner` is making of a call (written to the database, as POST /api/recordings does). */
async function makeOpenRecording(callId: string, owner: { id: number; username: string }): Promise<string> {
  const id = randomUUID();
  await insertRecording(server.db, {
    id,
    callId,
    userId: owner.id,
    username: owner.username,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return id;
}

/** Chromium's MediaRecorder output cut in 1 s chunks, as the phone uploads it. */
async function recorderChunks(): Promise<Buffer[]> {
  const stream = await readFile(new URL('../fixtures/mediarecorder-440-660.webm', import.meta.url));
  return Array.from({ length: Math.ceil(stream.length / 4249) }, (_, i) =>
    stream.subarray(i * 4249, (i + 1) * 4249),
  );
}

/**
 * A finished recording of a call: its owner (a user on the recording profile, signed in with
 * `password`) uploads the chunks and finishes it through the API, and the server makes the file.
 */
async function makeReadyRecording(
  callId: string,
  owner: { id: number; username: string; password?: string },
): Promise<string> {
  const id = await makeOpenRecording(callId, owner);
  const client = await server.signIn(owner.username, owner.password);
  const chunks = await recorderChunks();
  for (const [seq, chunk] of chunks.entries()) {
    const response = await fetch(`${server.url}/api/recordings/${id}/chunks/${seq}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', cookie: client.sessionCookie ?? '' },
      body: new Uint8Array(chunk),
    });
    if (response.status !== 200) throw new Error(`chunk ${seq}: ${response.status} ${await response.text()}`);
  }
  const finished = await client.post<{ state: string }>(`/api/recordings/${id}/finish`);
  if (finished.body.state !== 'ready') throw new Error(`recording not made: ${finished.text}`);
  return id;
}

/** agent1's own call with agent2 (in the operator's barge group, floor_1). */
const ownCall = () => makeCall(ids.agent1, ids.agent2);
/** A call between two users in no group the operator watches. */
async function othersCall() {
  const [from, to] = [
    await makeUser(server.db, { profileId: ids.agents }),
    await makeUser(server.db, { profileId: ids.agents }),
  ];
  return { callId: await makeCall(from.id, to.id), owner: from };
}
const agent1 = () => ({ id: ids.agent1, username: 'agent1' });
/** Only the person making a recording uploads to it, pauses it and finishes it. */
const ownerOnly = { ...all(403), 'signed out': 401, agent: 200 } as Record<Who, number>;

const fixed = (path: string, json?: unknown) => async (): Promise<Target> => ({ path, json });

const cases: Case[] = [
  { route: 'GET /api/health', target: fixed('/api/health'), expected: all(200) },
  { route: 'GET /api/openapi.json', target: fixed('/api/openapi.json'), expected: all(200) },
  // Signed out, the API tells nothing about which routes exist.
  {
    route: 'GET /api/nope (unknown route)',
    target: fixed('/api/nope'),
    expected: { ...all(404), 'signed out': 401 },
  },
  { route: 'GET /api/session', target: fixed('/api/session'), expected: all(200) },
  { route: 'GET /api/me', target: fixed('/api/me'), expected: from('agent', 200) },
  { route: 'DELETE /api/session', target: fixed('/api/session'), expected: all(204), freshSession: true },

  { route: 'GET /api/profiles', target: fixed('/api/profiles'), expected: from('supervisor', 200) },
  { route: 'GET /api/relay', target: fixed('/api/relay'), expected: from('supervisor', 200) },
  {
    route: 'POST /api/profiles',
    target: async () => ({
      path: '/api/profiles',
      json: { name: uniqueName('p'), capacity: 3, channelLimit: 3 },
    }),
    expected: from('supervisor', 201),
  },
  {
    route: 'GET /api/profiles/{id}',
    target: async () => ({ path: `/api/profiles/${ids.agents}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'PATCH /api/profiles/{id} (a profile the actor is not on)',
    target: async () => ({
      path: `/api/profiles/${(await makeProfile(server.db)).id}`,
      json: { capacity: 7 },
    }),
    expected: from('supervisor', 200),
  },
  {
    route: 'PATCH /api/profiles/{supervisors} (the supervisor’s own profile)',
    target: async () => ({ path: `/api/profiles/${ids.supervisors}`, json: { capacity: 10 } }),
    // A supervisor may not change the profile they are on; the admin (also on it) may.
    expected: { ...from('supervisor', 200), supervisor: 403 },
  },
  {
    route: 'GET /api/profiles/{id}/deletion-impact',
    target: async () => ({ path: `/api/profiles/${(await makeProfile(server.db)).id}/deletion-impact` }),
    expected: from('admin', 200),
  },
  {
    route: 'DELETE /api/profiles/{id}',
    target: async () => ({ path: `/api/profiles/${(await makeProfile(server.db)).id}` }),
    expected: from('admin', 200),
  },

  { route: 'GET /api/users', target: fixed('/api/users'), expected: from('operator', 200) },
  {
    route: 'GET /api/users/{id}',
    target: async () => ({ path: `/api/users/${ids.agent2}` }),
    expected: from('operator', 200),
  },
  {
    route: 'POST /api/users',
    target: async () => ({
      path: '/api/users',
      json: { username: uniqueName('u'), displayName: 'New Person', extension: uniqueExtension() },
    }),
    expected: from('admin', 201),
  },
  {
    route: 'PATCH /api/users/{id}',
    target: async () => ({
      path: `/api/users/${(await makeUser(server.db)).id}`,
      json: { location: 'Floor 2' },
    }),
    expected: from('admin', 200),
  },
  {
    route: 'POST /api/users/{id}/password',
    target: async () => ({ path: `/api/users/${(await makeUser(server.db)).id}/password` }),
    expected: from('admin', 200),
  },
  {
    route: 'DELETE /api/users/{id} (another user)',
    target: async () => ({ path: `/api/users/${(await makeUser(server.db)).id}` }),
    expected: from('admin', 204),
  },
  {
    route: 'DELETE /api/users/{self}',
    target: async (who) => ({
      path: `/api/users/${who === 'signed out' ? ids.agent1 : await userId(server.db, demoUser[who])}`,
    }),
    // Below admin the role refuses; the admin is refused by the no-self-delete rule.
    expected: from('admin', 403),
  },

  { route: 'GET /api/groups', target: fixed('/api/groups'), expected: from('operator', 200) },
  {
    route: 'GET /api/groups/{id}',
    target: async () => ({ path: `/api/groups/${ids.floor1}` }),
    expected: from('operator', 200),
  },
  {
    route: 'POST /api/groups',
    target: async () => ({ path: '/api/groups', json: { name: uniqueName('g') } }),
    expected: from('supervisor', 201),
  },
  {
    route: 'PATCH /api/groups/{id}',
    target: async () => ({
      path: `/api/groups/${(await makeGroup(server.db)).id}`,
      json: { name: uniqueName('g') },
    }),
    expected: from('supervisor', 200),
  },
  {
    route: 'DELETE /api/groups/{id}',
    target: async () => ({ path: `/api/groups/${(await makeGroup(server.db)).id}` }),
    expected: from('supervisor', 204),
  },
  {
    route: 'PUT /api/groups/{floor_1}/members/{userId} (the operator’s barge group)',
    target: async () => ({ path: `/api/groups/${ids.floor1}/members/${(await makeUser(server.db)).id}` }),
    expected: from('operator', 200),
  },
  {
    route: 'DELETE /api/groups/{floor_1}/members/{userId} (the operator’s barge group)',
    target: async () => ({
      path: `/api/groups/${ids.floor1}/members/${(await makeUser(server.db, { groupIds: [ids.floor1] })).id}`,
    }),
    expected: from('operator', 200),
  },
  {
    route: 'PUT /api/groups/{other}/members/{userId} (another group)',
    target: async () => ({ path: `/api/groups/${(await makeGroup(server.db)).id}/members/${ids.agent2}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'DELETE /api/groups/{other}/members/{userId} (another group)',
    target: async () => {
      const group = await makeGroup(server.db);
      return {
        path: `/api/groups/${group.id}/members/${(await makeUser(server.db, { groupIds: [group.id] })).id}`,
      };
    },
    expected: from('supervisor', 200),
  },

  { route: 'GET /api/calls (own)', target: fixed('/api/calls'), expected: from('agent', 200) },
  {
    route: 'GET /api/calls/export.csv (own)',
    target: fixed('/api/calls/export.csv'),
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/calls?userId={someone else}',
    target: async () => ({ path: `/api/calls?userId=${ids.agent2}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/calls?profileId={id}',
    target: async () => ({ path: `/api/calls?profileId=${ids.agents}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/calls/export.csv?userId={someone else}',
    target: async () => ({ path: `/api/calls/export.csv?userId=${ids.agent2}` }),
    expected: from('supervisor', 200),
  },
  { route: 'GET /api/audit', target: fixed('/api/audit'), expected: from('supervisor', 200) },

  { route: 'GET /api/trunks', target: fixed('/api/trunks'), expected: from('admin', 200) },
  {
    route: 'POST /api/trunks',
    target: async () => ({
      path: '/api/trunks',
      json: {
        name: uniqueName('t'),
        host: 'sip.carrier.example',
        auth: { kind: 'register', username: 'acct', password: 'secret' },
        callerId: '+493012345678',
      },
    }),
    expected: from('admin', 201),
  },
  {
    route: 'GET /api/trunks/{id}',
    target: async () => ({ path: `/api/trunks/${(await makeTrunk(server.db)).id}` }),
    expected: from('admin', 200),
  },
  {
    route: 'PATCH /api/trunks/{id}',
    target: async () => ({ path: `/api/trunks/${(await makeTrunk(server.db)).id}`, json: { priority: 5 } }),
    expected: from('admin', 200),
  },
  {
    route: 'DELETE /api/trunks/{id}',
    target: async () => ({ path: `/api/trunks/${(await makeTrunk(server.db)).id}` }),
    expected: from('admin', 204),
  },
  { route: 'GET /api/numbers', target: fixed('/api/numbers'), expected: from('admin', 200) },
  {
    route: 'POST /api/numbers',
    target: async () => ({
      path: '/api/numbers',
      json: { number: uniqueNumber(), assignment: { kind: 'user', userId: ids.agent2 } },
    }),
    expected: from('admin', 201),
  },
  {
    route: 'GET /api/numbers/{id}',
    target: async () => ({ path: `/api/numbers/${(await makeNumber(server.db)).id}` }),
    expected: from('admin', 200),
  },
  {
    route: 'PATCH /api/numbers/{id}',
    target: async () => ({
      path: `/api/numbers/${(await makeNumber(server.db)).id}`,
      json: { assignment: { kind: 'group', groupId: ids.floor1 } },
    }),
    expected: from('admin', 200),
  },
  {
    route: 'DELETE /api/numbers/{id}',
    target: async () => ({ path: `/api/numbers/${(await makeNumber(server.db)).id}` }),
    expected: from('admin', 204),
  },
  { route: 'GET /api/monitor/board', target: fixed('/api/monitor/board'), expected: from('operator', 200) },

  {
    route: 'GET /api/recordings?callId={agent1’s call with agent2}',
    target: async () => ({ path: `/api/recordings?callId=${await ownCall()}` }),
    // The agent is on the call; the operator's barge group holds both parties.
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/recordings?callId={a call of others}',
    target: async () => ({ path: `/api/recordings?callId=${(await othersCall()).callId}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/recordings/{id}/audio (agent1’s call)',
    target: async () => ({
      path: `/api/recordings/${await makeReadyRecording(await ownCall(), agent1())}/audio`,
    }),
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/recordings/{id}/audio?download=1 (a call of others)',
    target: async () => {
      const { callId, owner } = await othersCall();
      return { path: `/api/recordings/${await makeReadyRecording(callId, owner)}/audio?download=1` };
    },
    expected: from('supervisor', 200),
  },
  {
    route: 'DELETE /api/recordings/{id}',
    target: async () => ({
      path: `/api/recordings/${await makeReadyRecording(await ownCall(), agent1())}`,
    }),
    expected: from('admin', 204),
  },
  {
    route: 'POST /api/recordings (a call that is not live)',
    target: async () => ({ path: '/api/recordings', json: { callId: await ownCall() } }),
    // Not a role's act: a recording profile and a live call of one's own; here neither is true.
    expected: { ...all(403), 'signed out': 401 },
  },
  {
    route: 'PUT /api/recordings/{id}/chunks/{seq} (agent1’s recording)',
    target: async () => ({
      path: `/api/recordings/${await makeOpenRecording(await ownCall(), agent1())}/chunks/0`,
      bytes: 'one second of audio',
    }),
    expected: ownerOnly,
  },
  {
    route: 'POST /api/recordings/{id}/marks (agent1’s recording)',
    target: async () => ({
      path: `/api/recordings/${await makeOpenRecording(await ownCall(), agent1())}/marks`,
      json: { kind: 'pause', offsetMs: 1000 },
    }),
    expected: ownerOnly,
  },
  {
    route: 'POST /api/recordings/{id}/finish (agent1’s recording)',
    target: async () => ({
      path: `/api/recordings/${await makeOpenRecording(await ownCall(), agent1())}/finish`,
    }),
    expected: ownerOnly,
  },
];

const methodOf = (route: string) => route.split(' ')[0] ?? 'GET';

describe.each(cases)('$route', (routeCase) => {
  it.each(everyone)('%s', async (who) => {
    const expected = routeCase.expected[who];
    const { path, json, bytes } = await routeCase.target(who);
    const client =
      routeCase.freshSession && who !== 'signed out' ? await server.signIn(demoUser[who]) : clients.get(who);
    if (!client) throw new Error(`no client for ${who}`);
    heard.length = 0;
    const response = await client.request(
      methodOf(routeCase.route),
      path,
      json !== undefined
        ? { json }
        : bytes !== undefined
          ? { raw: bytes, contentType: 'application/octet-stream' }
          : {},
    );
    if (expected >= 400) {
      const error = expectApiError(response, expected);
      const code = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[expected];
      if (code) expect(error.code).toBe(code);
    } else {
      expect(response.status, response.text).toBe(expected);
      const method = methodOf(routeCase.route);
      if (method === 'GET') return;
      // The browser tests' fakes tell the app what the server would: the same events, exactly.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const fake = eventsFor(method, new URL(path, server.url), response.body, userIdOf.get(who) ?? null);
      expect(sortedEvents(heard), 'the events src/testing/mutation-events.ts says').toEqual(
        sortedEvents(fake),
      );
    }
  });
});

const sortedEvents = (events: readonly LiveEvent[]) => events.map((event) => JSON.stringify(event)).sort();

describe('the browser fakes know every mutation', () => {
  it('each POST, PUT, PATCH and DELETE in /api/openapi.json has its events in src/testing/mutation-events.ts', async () => {
    const doc = await server
      .client()
      .get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    const mutations = Object.entries(doc.body.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .map((method) => method.toUpperCase())
        .filter((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
        .map((method) => `${method} /api${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(mutations.length).toBeGreaterThan(30);
    // Signing in publishes nothing: there is no stream open before it.
    const unknown = mutations.filter(
      (route) =>
        route !== 'POST /api/session' && !describesMutation(...(route.split(' ') as [string, string])),
    );
    expect(unknown, JSON.stringify(unknown)).toEqual([]);
  });
});

describe('GET /api/events', () => {
  it.each(everyone)('%s', async (who) => {
    const client = clients.get(who);
    if (!client) throw new Error(`no client for ${who}`);
    const abort = new AbortController();
    try {
      const response = await client.stream('/api/events', abort.signal);
      if (who === 'signed out') {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      } else {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      }
    } finally {
      abort.abort();
    }
  });
});

describe('public documents', () => {
  it('/api/openapi.json is an OpenAPI 3.1 document listing the routes', async () => {
    const response = await server
      .client()
      .get<{ openapi: string; paths: Record<string, unknown> }>('/api/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/session',
        '/me',
        '/profiles',
        '/profiles/{id}',
        '/users',
        '/groups',
        '/calls',
        '/audit',
        '/monitor/board',
        '/trunks',
        '/trunks/{id}',
        '/numbers',
        '/numbers/{id}',
      ]),
    );
  });

  it('/api/health says the database is up', async () => {
    expect((await server.client().get('/api/health')).body).toMatchObject({ ok: true });
  });
});
