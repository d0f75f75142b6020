import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contracts/events';
import {
  trunkListSchema,
  trunkSchema,
  type Trunk,
  type TrunkList,
  type TrunkStatus,
} from '../../contracts/trunks';
import { trunkSecretBox } from '../../server/auth/secret-box';
import { storeTrunkSource } from '../../server/directory/trunk-source';
import { createLogger } from '../../server/log';
import type { MediaBridgeStatus } from '../../server/media/media-bridge';
import { auditLog, trunks } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { uniqueName } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

const PASSWORD = 'carrier-Secret-7f3a';
const logLines: string[] = [];

const registering = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName('carrier'),
  host: 'sip.carrier.example',
  auth: { kind: 'register', username: 'acct-42', password: PASSWORD },
  callerId: '+493012345678',
  ...overrides,
});

let server: TestServer;
let admin: ApiClient;
const heard: LiveEvent[] = [];

beforeAll(async () => {
  // Debug level, every line kept: nothing the server logs may hold a trunk password.
  const log = createLogger('debug', (line) => logLines.push(line) > 0);
  server = await startTestServer({ app: { log } });
  admin = await server.signIn('admin');
  server.events.subscribe((event) => void heard.push(event));
});
afterAll(() => server?.close());

const edgeTrunks = () => storeTrunkSource(server.db, trunkSecretBox(server.db)).load();
const auditOf = (id: number) =>
  server.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.entityId, String(id)))
    .orderBy(auditLog.id);
const trunkAudit = async (id: number) => (await auditOf(id)).filter((e) => e.entity === 'trunk');

async function create(body: Record<string, unknown> = registering()): Promise<Trunk> {
  const response = await admin.post<Trunk>('/api/trunks', { json: body });
  expect(response.status, response.text).toBe(201);
  return trunkSchema.parse(response.body);
}

describe('create and read', () => {
  it('stores a registering trunk with defaults; the answer says a password is stored, never which', async () => {
    const response = await admin.post<Trunk>('/api/trunks', { json: registering() });
    expect(response.status, response.text).toBe(201);
    expect(response.text).not.toContain(PASSWORD);
    expect(response.text).not.toContain('"password"');
    const trunk = trunkSchema.parse(response.body);
    expect(trunk).toMatchObject({
      port: 5060,
      transport: 'udp',
      auth: { kind: 'register', username: 'acct-42', hasPassword: true },
      numberFormat: { kind: 'e164' },
      prefixes: ['+'],
      priority: 100,
      enabled: true,
      status: { state: 'unknown', roundTripMs: null, checkedAt: null, lastError: null, registration: null },
    });
    expect(heard).toContainEqual({ entity: 'trunk', id: trunk.id });

    // Stored sealed: neither the row nor the audit entry holds the password.
    const [row] = await server.db.select().from(trunks).where(eq(trunks.id, trunk.id));
    expect(row?.passwordSealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const entries = await trunkAudit(trunk.id);
    expect(entries.map((e) => e.action)).toEqual(['trunk.create']);
    expect(entries[0]).toMatchObject({
      actorUsername: 'admin',
      after: { name: trunk.name, auth: { kind: 'register', username: 'acct-42', password: '(set)' } },
    });
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    expect(JSON.stringify(entries)).not.toContain(row?.passwordSealed);

    // The edge's source opens it.
    const loaded = (await edgeTrunks()).find((t) => t.id === trunk.id);
    expect(loaded?.auth).toEqual({ kind: 'register', username: 'acct-42', password: PASSWORD });
  });

  it('lists trunks in priority order with status and media readiness; GET one answers the same trunk', async () => {
    const disabled = await create({
      ...registering(),
      auth: { kind: 'ip', addresses: ['203.0.113.10', '2001:db8::5'] },
      priority: 1,
      enabled: false,
      numberFormat: { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' },
      prefixes: ['+49', '+43', '+49'],
      transport: 'tcp',
      port: 5080,
    });
    expect(disabled.prefixes).toEqual(['+49', '+43']);
    const response = await admin.get<TrunkList>('/api/trunks');
    expect(response.status).toBe(200);
    const list = trunkListSchema.parse(response.body);
    expect(list.items[0]?.id).toBe(disabled.id);
    expect(list.items[0]?.status.state).toBe('disabled');
    expect(list.items.map((t) => t.priority)).toEqual(
      [...list.items.map((t) => t.priority)].sort((a, b) => a - b),
    );
    expect(list.media).toEqual({
      ready: false,
      problem: "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port",
    });
    expect(response.text).not.toContain(PASSWORD);
    const one = await admin.get<Trunk>(`/api/trunks/${disabled.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(list.items[0]);
  });
});

describe('the password on update', () => {
  it('PATCH of register without a password keeps it; with one replaces it; ip drops it; back to register needs one', async () => {
    const trunk = await create();
    const kept = await admin.patch<Trunk>(`/api/trunks/${trunk.id}`, {
      json: { auth: { kind: 'register', username: 'acct-43' }, host: 'sip2.carrier.example' },
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.auth).toEqual({ kind: 'register', username: 'acct-43', hasPassword: true });
    expect((await edgeTrunks()).find((t) => t.id === trunk.id)).toMatchObject({
      host: 'sip2.carrier.example',
      auth: { kind: 'register', username: 'acct-43', password: PASSWORD },
    });

    // A change that does not touch auth keeps it too.
    expect((await admin.patch(`/api/trunks/${trunk.id}`, { json: { priority: 5 } })).status).toBe(200);
    expect((await edgeTrunks()).find((t) => t.id === trunk.id)?.auth).toMatchObject({ password: PASSWORD });

    const replaced = await admin.patch<Trunk>(`/api/trunks/${trunk.id}`, {
      json: { auth: { kind: 'register', username: 'acct-43', password: 'a-new-one' } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.text).not.toContain('a-new-one');
    expect((await edgeTrunks()).find((t) => t.id === trunk.id)?.auth).toMatchObject({
      password: 'a-new-one',
    });

    const toIp = await admin.patch<Trunk>(`/api/trunks/${trunk.id}`, {
      json: { auth: { kind: 'ip', addresses: ['198.51.100.20'] } },
    });
    expect(toIp.body.auth).toEqual({ kind: 'ip', addresses: ['198.51.100.20'] });
    const [row] = await server.db.select().from(trunks).where(eq(trunks.id, trunk.id));
    expect([row?.username, row?.passwordSealed]).toEqual([null, null]);

    const error = expectApiError(
      await admin.patch(`/api/trunks/${trunk.id}`, {
        json: { auth: { kind: 'register', username: 'acct-43' } },
      }),
      400,
      'validation_failed',
    );
    expect(error.fields).toEqual({ 'auth.password': 'a registering trunk needs a password' });

    const entries = await trunkAudit(trunk.id);
    expect(entries.map((e) => (e.after as { auth?: { password?: string } } | null)?.auth?.password)).toEqual([
      '(set)',
      '(kept)',
      '(stored)',
      '(changed)',
      undefined,
    ]);
    expect(entries.map((e) => e.action)).toEqual([
      'trunk.create',
      'trunk.update',
      'trunk.update',
      'trunk.update',
      'trunk.update',
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [PASSWORD, 'a-new-one']) expect(text).not.toContain(secret);
  });
});

describe('refusals', () => {
  const badCases: { name: string; body: Record<string, unknown>; fields: string[] }[] = [
    { name: 'a host with a space', body: registering({ host: 'bad host' }), fields: ['host'] },
    { name: 'port 0', body: registering({ port: 0 }), fields: ['port'] },
    { name: 'port 70000', body: registering({ port: 70000 }), fields: ['port'] },
    { name: 'transport sctp', body: registering({ transport: 'sctp' }), fields: ['transport'] },
    {
      name: 'ip authentication with no addresses',
      body: registering({ auth: { kind: 'ip', addresses: [] } }),
      fields: ['auth.addresses'],
    },
    {
      name: 'ip authentication with a host name for an address',
      body: registering({ auth: { kind: 'ip', addresses: ['carrier.example'] } }),
      fields: ['auth.addresses.0'],
    },
    {
      name: 'register without a password',
      body: registering({ auth: { kind: 'register', username: 'acct' } }),
      fields: ['auth.password'],
    },
    {
      name: 'an unknown kind of authentication',
      body: registering({ auth: { kind: 'token', token: 'x' } }),
      fields: ['auth.kind'],
    },
    {
      name: 'a caller ID not in E.164',
      body: registering({ callerId: '030 1234567' }),
      fields: ['callerId'],
    },
    { name: 'a prefix without +', body: registering({ prefixes: ['49'] }), fields: ['prefixes.0'] },
    { name: 'priority -1', body: registering({ priority: -1 }), fields: ['priority'] },
    {
      name: 'several faults at once, each named',
      body: registering({ host: '', port: 0, callerId: 'x' }),
      fields: ['host', 'port', 'callerId'],
    },
  ];

  it.each(badCases)('POST with $name: 400 naming each field, nothing stored', async ({ body, fields }) => {
    const before = (await server.db.select().from(trunks)).length;
    const error = expectApiError(await admin.post('/api/trunks', { json: body }), 400, 'validation_failed');
    for (const field of fields) expect(error.fields?.[field], JSON.stringify(error.fields)).toMatch(/.{6,}/);
    expect((await server.db.select().from(trunks)).length).toBe(before);
  });

  it('PATCH with a bad field: 400 naming it, the trunk unchanged', async () => {
    const trunk = await create();
    const error = expectApiError(
      await admin.patch(`/api/trunks/${trunk.id}`, {
        json: { port: 0, auth: { kind: 'ip', addresses: [] } },
      }),
      400,
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['auth.addresses', 'port']);
    expect((await admin.get<Trunk>(`/api/trunks/${trunk.id}`)).body).toEqual(trunk);
  });

  it('a name is unique: 409 with a sentence on create and on rename', async () => {
    const first = await create();
    const second = await create();
    const onCreate = expectApiError(
      await admin.post('/api/trunks', { json: registering({ name: first.name }) }),
      409,
      'conflict',
    );
    expect(onCreate.message).toBe(`A trunk named ${first.name} already exists.`);
    expect(onCreate.fields).toEqual({ name: onCreate.message });
    expectApiError(
      await admin.patch(`/api/trunks/${second.id}`, { json: { name: first.name } }),
      409,
      'conflict',
    );
    // Its own name is no conflict.
    expect((await admin.patch(`/api/trunks/${first.id}`, { json: { name: first.name } })).status).toBe(200);
  });

  it('delete: 204, then 404 for GET, PATCH and DELETE; audited without the password; the edge forgets it', async () => {
    const trunk = await create();
    heard.length = 0;
    expect((await admin.delete(`/api/trunks/${trunk.id}`)).status).toBe(204);
    expect(heard).toContainEqual({ entity: 'trunk', id: trunk.id });
    for (const response of [
      await admin.get(`/api/trunks/${trunk.id}`),
      await admin.patch(`/api/trunks/${trunk.id}`, { json: { priority: 3 } }),
      await admin.delete(`/api/trunks/${trunk.id}`),
    ])
      expect(expectApiError(response, 404, 'not_found').message).toBe(`Trunk ${trunk.id} does not exist.`);
    const entries = await trunkAudit(trunk.id);
    expect(entries.map((e) => e.action)).toEqual(['trunk.create', 'trunk.delete']);
    expect(entries[1]?.before).toMatchObject({ name: trunk.name, auth: { password: '(stored)' } });
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    expect((await edgeTrunks()).map((t) => t.id)).not.toContain(trunk.id);
  });

  it('nothing the server logged holds a password', () => {
    expect(logLines.join('\n')).not.toContain(PASSWORD);
    expect(logLines.join('\n')).not.toContain('a-new-one');
  });
});

describe('with the edge and a media bridge', () => {
  let withEdge: TestServer;
  let status: MediaBridgeStatus = { state: 'starting', problem: null };
  const live: TrunkStatus = {
    state: 'up',
    roundTripMs: 12,
    checkedAt: '2026-01-05T10:00:00.000Z',
    lastError: null,
    registration: { state: 'registered', expiresAt: '2026-01-05T11:00:00.000Z' },
  };

  beforeAll(async () => {
    withEdge = await startTestServer({
      app: { trunkStatus: { statusOf: () => live }, media: { status: () => status } },
    });
  });
  afterAll(() => withEdge?.close());

  it("shows the board's status for each trunk and the bridge's readiness", async () => {
    const client = await withEdge.signIn('admin');
    const created = await client.post<Trunk>('/api/trunks', { json: registering() });
    expect(created.body.status).toEqual(live);
    const starting = await client.get<TrunkList>('/api/trunks');
    expect(starting.body.items.map((t) => t.status)).toEqual([live]);
    expect(starting.body.media).toEqual({
      ready: false,
      problem: 'The media bridge (rtpengine) is starting; trunk calls work once it runs.',
    });
    // A switched-off trunk is disabled, whatever its link last said.
    const off = await client.patch<Trunk>(`/api/trunks/${created.body.id}`, { json: { enabled: false } });
    expect(off.body.status).toMatchObject({ state: 'disabled', roundTripMs: null, registration: null });
    status = { state: 'running', since: '2026-01-05T09:00:00.000Z' };
    expect((await client.get<TrunkList>('/api/trunks')).body.media).toEqual({ ready: true, problem: null });
    status = { state: 'off', problem: 'rtpengine is not installed: apt-get install rtpengine-daemon' };
    expect((await client.get<TrunkList>('/api/trunks')).body.media).toEqual({
      ready: false,
      problem: 'rtpengine is not installed: apt-get install rtpengine-daemon',
    });
  });
});
