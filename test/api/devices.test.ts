import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deviceCreatedSchema,
  deviceListSchema,
  deviceSchema,
  type DeviceCreated,
  type DeviceList,
} from '../../contracts/devices';
import { DeviceDirectory } from '../../server/directory/device-directory';
import { auditLog, devices, users } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;
let operator: ApiClient;
let agent1: ApiClient;
let agent2: ApiClient;
let directory: DeviceDirectory;
const ids: Record<string, number> = {};

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
  supervisor = await server.signIn('supervisor');
  operator = await server.signIn('operator');
  agent1 = await server.signIn('agent1');
  agent2 = await server.signIn('agent2');
  for (const row of await server.db.select({ id: users.id, username: users.username }).from(users))
    ids[row.username] = row.id;
  // The edge's copy, fed by the server's own change events.
  directory = new DeviceDirectory({ db: server.db, events: server.events });
});
afterAll(async () => {
  directory?.close();
  await server?.close();
});

async function addPhone(client: ApiClient, path: string, name = 'Desk phone'): Promise<DeviceCreated> {
  const response = await client.post<DeviceCreated>(path, { json: { kind: 'sip_phone', name } });
  expect(response.status, response.text).toBe(201);
  return deviceCreatedSchema.parse(response.body);
}

describe('desk phones', () => {
  it('credentials are generated and shown once; only the HA1s are stored; the edge finds them', async () => {
    const created = await addPhone(admin, `/api/users/${ids.agent1}/devices`, ' Reception desk ');
    const { device, credentials } = created;
    expect(device).toMatchObject({
      kind: 'sip_phone',
      name: 'Reception desk',
      number: null,
      registrations: [],
    });
    expect(device.sipUsername).toMatch(/^agent1-[a-z2-9]{6}$/);
    expect(credentials).toMatchObject({ username: device.sipUsername, domain: server.config.sipDomain });
    expect(credentials?.password).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(credentials?.server.host).toBe('127.0.0.1');

    const [row] = await server.db.select().from(devices).where(eq(devices.id, device.id));
    const realm = server.config.sipDomain;
    const secret = `${device.sipUsername}:${realm}:${credentials?.password}`;
    expect(row?.ha1Md5).toBe(md5(secret));
    expect(row?.ha1Sha256).toBe(sha256(secret));
    // The password is nowhere in the row, in the list or in the audit log.
    const password = credentials?.password ?? '';
    expect(JSON.stringify(row)).not.toContain(password);
    const listed = await admin.get<DeviceList>(`/api/users/${ids.agent1}/devices`);
    expect(listed.status).toBe(200);
    const list = deviceListSchema.parse(listed.body);
    expect(list.items.map((d) => d.id)).toContain(device.id);
    expect(listed.text).not.toContain(password);
    expect(listed.text).not.toContain(row?.ha1Md5 ?? 'x');
    const audit = await server.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(device.id)));
    expect(audit.filter((e) => e.entity === 'device').map((e) => e.action)).toEqual(['device.create']);
    expect(JSON.stringify(audit)).not.toContain(password);

    await directory.settled();
    expect(await directory.phoneByUsername(device.sipUsername ?? '')).toMatchObject({
      id: device.id,
      userId: ids.agent1,
      ha1Md5: md5(secret),
    });
  });

  it('rename and remove are audited and heard live; a removed phone is gone from the edge', async () => {
    const { device } = await addPhone(supervisor, `/api/users/${ids.agent2}/devices`);
    const renamed = await supervisor.patch(`/api/users/${ids.agent2}/devices/${device.id}`, {
      json: { name: 'Hall' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(deviceSchema.parse(renamed.body).name).toBe('Hall');
    await directory.settled();
    expect(await directory.phoneById(device.id)).not.toBeNull();
    const removed = await supervisor.delete(`/api/users/${ids.agent2}/devices/${device.id}`);
    expect(removed.status).toBe(204);
    await directory.settled();
    expect(await directory.phoneById(device.id)).toBeNull();
    const audit = await server.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(device.id)));
    expect(audit.filter((e) => e.entity === 'device').map((e) => e.action)).toEqual([
      'device.create',
      'device.rename',
      'device.delete',
    ]);
    expectApiError(
      await supervisor.delete(`/api/users/${ids.agent2}/devices/${device.id}`),
      404,
      'not_found',
    );
  });
});

describe('external numbers', () => {
  it('an E.164 number, once per user; a wrong number is refused field by field', async () => {
    const path = `/api/users/${ids.agent2}/devices`;
    const added = await admin.post<DeviceCreated>(path, {
      json: { kind: 'external_number', name: 'Mobile', number: '+4915112345678' },
    });
    expect(added.status, added.text).toBe(201);
    const created = deviceCreatedSchema.parse(added.body);
    expect(created).toMatchObject({
      device: { kind: 'external_number', number: '+4915112345678' },
      credentials: null,
    });
    await directory.settled();
    expect((await directory.numbersOf(ids.agent2 ?? 0)).map((n) => n.number)).toContain('+4915112345678');
    const again = await admin.post(path, {
      json: { kind: 'external_number', name: 'Mobile 2', number: '+4915112345678' },
    });
    expect(expectApiError(again, 409, 'conflict').message).toBe(
      '+4915112345678 is already a device of agent2 (Mobile).',
    );
    const bad = expectApiError(
      await admin.post(path, { json: { kind: 'external_number', name: '', number: '0151 123' } }),
      400,
      'validation_failed',
    );
    expect(bad.fields).toMatchObject({
      name: 'name must not be empty',
      number: expect.stringContaining('international format') as string,
    });
    const badKind = expectApiError(await admin.post(path, { json: { kind: 'fax', name: 'x' } }), 400);
    expect(JSON.stringify(badKind.fields)).toContain('sip_phone or external_number');
  });
});

describe('who may do what', () => {
  it('admins and supervisors manage anyone’s; operators and agents only their own', async () => {
    const others = `/api/users/${ids.agent1}/devices`;
    // Reading another user's devices.
    for (const client of [admin, supervisor]) expect((await client.get(others)).status).toBe(200);
    for (const client of [operator, agent2])
      expect(expectApiError(await client.get(others), 403, 'forbidden').message).toBe(
        "Only supervisors and admins see another user's devices; you may see your own.",
      );
    // Adding to another user.
    expectApiError(await agent2.post(others, { json: { kind: 'sip_phone', name: 'Mine now' } }), 403);
    expectApiError(await operator.post(others, { json: { kind: 'sip_phone', name: 'Mine now' } }), 403);
    // Their own: by id and under /me alike.
    expect((await agent1.get(others)).status).toBe(200);
    const own = await addPhone(agent1, '/api/me/devices', 'My desk');
    const mine = deviceListSchema.parse((await agent1.get('/api/me/devices')).body);
    expect(mine.items.map((d) => d.id)).toContain(own.device.id);
    const renamed = await agent1.patch(`/api/me/devices/${own.device.id}`, { json: { name: 'Desk 2' } });
    expect(renamed.status, renamed.text).toBe(200);
    // An agent cannot add an external number, even their own.
    expect(
      expectApiError(
        await agent1.post('/api/me/devices', {
          json: { kind: 'external_number', name: 'Mobile', number: '+4915199999999' },
        }),
        403,
      ).message,
    ).toBe('Only a supervisor or an admin may add an external number; ask one to add it for you.');
    // Another user's device is not reachable under /me.
    expectApiError(await agent2.delete(`/api/me/devices/${own.device.id}`), 404);
    expectApiError(await agent2.patch(`${others}/${own.device.id}`, { json: { name: 'x' } }), 403);
    expect((await agent1.delete(`/api/me/devices/${own.device.id}`)).status).toBe(204);
    expectApiError(await server.client().get('/api/me/devices'), 401);
  });

  it('an unknown user is a 404, and a user has at most 10 devices', async () => {
    expectApiError(await admin.get('/api/users/999999/devices'), 404);
    const path = `/api/users/${ids.operator}/devices`;
    for (let i = 0; i < 10; i++) await addPhone(admin, path, `Phone ${i}`);
    expect(
      expectApiError(await admin.post(path, { json: { kind: 'sip_phone', name: 'One more' } }), 409).message,
    ).toBe('operator has 10 devices already; remove one first.');
  });
});
