import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from '../../contracts/queues';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeGroup, makeUser, uniqueExtension, uniqueName } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let supervisor: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  supervisor = await server.signIn('supervisor');
});
afterAll(() => server?.close());

const create = (json: unknown) => supervisor.post<Queue>('/api/queues', { json });

describe('/api/queues', () => {
  it('creates a queue with defaults, reads, changes (members replaced) and deletes it, each in the audit log', async () => {
    const alice = await makeUser(server.db);
    const team = await makeGroup(server.db);
    const extension = uniqueExtension();
    const name = uniqueName('sales');
    const created = await create({
      name,
      extension,
      members: [
        { kind: 'user', userId: alice.id, priority: 2 },
        { kind: 'group', groupId: team.id },
      ],
      dispositions: ['sale', 'callback', 'sale'],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      name,
      extension,
      strategy: 'longest_idle',
      ringSeconds: 20,
      maxWaitSeconds: 300,
      overflow: { kind: 'refuse', reason: 'Nobody can take your call now' },
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
      dispositions: ['sale', 'callback'],
      members: [
        { kind: 'group', groupId: team.id, name: team.name, priority: 1 },
        { kind: 'user', userId: alice.id, username: alice.username, priority: 2 },
      ],
    });
    const id = created.body.id;
    expect((await supervisor.get<Queue>(`/api/queues/${id}`)).body.name).toBe(name);
    expect((await supervisor.get<{ items: Queue[] }>('/api/queues')).body.items.map((q) => q.id)).toContain(
      id,
    );

    const changed = await supervisor.patch<Queue>(`/api/queues/${id}`, {
      json: { strategy: 'ring_all', members: [{ kind: 'user', userId: alice.id }], wrapUpSeconds: 0 },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      strategy: 'ring_all',
      wrapUpSeconds: 0,
      dispositions: ['sale', 'callback'],
    });
    expect(changed.body.members).toEqual([
      { kind: 'user', userId: alice.id, username: alice.username, priority: 1 },
    ]);

    expect((await supervisor.delete(`/api/queues/${id}`)).status).toBe(204);
    expectApiError(await supervisor.get(`/api/queues/${id}`), 404, 'not_found');

    const audit = await supervisor.get<{ items: { action: string; entityId: string; after: unknown }[] }>(
      '/api/audit?entity=queue',
    );
    const mine = audit.body.items.filter((e) => e.entityId === String(id)).map((e) => e.action);
    expect(mine).toEqual(['queue.delete', 'queue.update', 'queue.create']);
  });

  it('refuses bad fields one by one', async () => {
    const error = expectApiError(
      await create({
        name: 'Sales Team',
        extension: 'abc',
        strategy: 'random',
        ringSeconds: 2,
        maxWaitSeconds: 10.5,
        wrapUpSeconds: 601,
        overflow: { kind: 'refuse', reason: '  ' },
        members: [{ kind: 'user', userId: 'x' }, { kind: 'robot' }],
        dispositions: ['Sale!'],
        colour: 'red',
      }),
      400,
      'validation_failed',
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(
      [
        'colour',
        'dispositions.0',
        'extension',
        'maxWaitSeconds',
        'members.0.userId',
        'members.1.kind',
        'name',
        'overflow.reason',
        'ringSeconds',
        'strategy',
        'wrapUpSeconds',
      ].sort(),
    );
    expect(error.fields?.ringSeconds).toBe('ring time must be between 5 and 300 seconds');
    expect(error.fields?.['overflow.reason']).toBe('say why the call is refused');
  });

  it('members and the overflow target must exist: field errors naming each', async () => {
    const alice = await makeUser(server.db);
    const error = expectApiError(
      await create({
        name: uniqueName('q'),
        extension: uniqueExtension(),
        members: [
          { kind: 'user', userId: alice.id },
          { kind: 'user', userId: 999_999 },
          { kind: 'group', groupId: 888_888 },
          { kind: 'user', userId: alice.id },
        ],
        overflow: { kind: 'queue', queueId: 777_777 },
      }),
      400,
      'validation_failed',
    );
    expect(error.fields).toEqual({
      'members.1.userId': 'User 999999 does not exist',
      'members.2.groupId': 'Group 888888 does not exist',
      'members.3.userId': `User ${alice.id} is listed twice`,
      'overflow.queueId': 'Queue 777777 does not exist',
    });
    expect(error.message).toMatch(/^Please correct the queue: User 999999 does not exist;/);

    const first = await create({ name: uniqueName('q'), extension: uniqueExtension() });
    const self = expectApiError(
      await supervisor.patch(`/api/queues/${first.body.id}`, {
        json: { overflow: { kind: 'queue', queueId: first.body.id } },
      }),
      400,
    );
    expect(self.fields).toEqual({ 'overflow.queueId': 'A queue cannot overflow to itself' });
    const toUser = expectApiError(
      await supervisor.patch(`/api/queues/${first.body.id}`, {
        json: { overflow: { kind: 'user', userId: 999_998 } },
      }),
      400,
    );
    expect(toUser.fields).toEqual({ 'overflow.userId': 'User 999998 does not exist' });
  });

  it("the extension is neither a user's nor another queue's, and the name is unique: 409 with a sentence", async () => {
    const alice = await makeUser(server.db);
    const userExt = expectApiError(
      await create({ name: uniqueName('q'), extension: alice.extension }),
      409,
      'conflict',
    );
    expect(userExt.message).toBe(
      `Extension ${alice.extension} belongs to the user ${alice.username}; choose another for the queue.`,
    );
    expect(userExt.fields).toEqual({ extension: userExt.message });

    const queue = await create({ name: uniqueName('q'), extension: uniqueExtension() });
    const otherExt = expectApiError(
      await create({ name: uniqueName('q'), extension: queue.body.extension }),
      409,
    );
    expect(otherExt.message).toBe(
      `Extension ${queue.body.extension} belongs to the queue ${queue.body.name}; choose another.`,
    );
    const sameName = expectApiError(
      await create({ name: queue.body.name, extension: uniqueExtension() }),
      409,
    );
    expect(sameName.message).toBe(`A queue named ${queue.body.name} already exists.`);
    // Its own name and extension are not a conflict with itself.
    const same = await supervisor.patch(`/api/queues/${queue.body.id}`, {
      json: { name: queue.body.name, extension: queue.body.extension },
    });
    expect(same.status, same.text).toBe(200);
  });

  it('a queue others overflow to is not deleted; a deleted member leaves the list', async () => {
    const target = await create({ name: uniqueName('backup'), extension: uniqueExtension() });
    const feeder = await create({
      name: uniqueName('front'),
      extension: uniqueExtension(),
      overflow: { kind: 'queue', queueId: target.body.id },
    });
    const refused = expectApiError(await supervisor.delete(`/api/queues/${target.body.id}`), 409);
    expect(refused.message).toBe(
      `Calls overflow from ${feeder.body.name} to ${target.body.name}; send them elsewhere before deleting it.`,
    );

    const bob = await makeUser(server.db);
    const withBob = await create({
      name: uniqueName('q'),
      extension: uniqueExtension(),
      members: [{ kind: 'user', userId: bob.id }],
    });
    const admin = await server.signIn('admin');
    expect((await admin.delete(`/api/users/${bob.id}`)).status).toBe(204);
    expect((await supervisor.get<Queue>(`/api/queues/${withBob.body.id}`)).body.members).toEqual([]);
  });
});

describe('/api/reason-codes', () => {
  it('supervisors add, rename and delete codes; everyone lists them; a taken code is a 409', async () => {
    const code = uniqueName('lunch');
    const created = await supervisor.post<{ id: number; code: string; label: string }>('/api/reason-codes', {
      json: { code, label: 'Lunch' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ code, label: 'Lunch' });
    const agent = await server.signIn('agent1');
    const listed = await agent.get<{ items: { code: string }[] }>('/api/reason-codes');
    expect(listed.body.items.map((r) => r.code)).toContain(code);

    const taken = expectApiError(
      await supervisor.post('/api/reason-codes', { json: { code, label: 'Again' } }),
      409,
    );
    expect(taken.message).toBe(`The reason code ${code} already exists.`);
    const bad = expectApiError(
      await supervisor.post('/api/reason-codes', { json: { code: 'Coffee Break', label: '' } }),
      400,
    );
    expect(bad.fields).toEqual({
      code: 'code may contain only lower-case letters, digits and underscores',
      label: 'label must not be empty',
    });

    const renamed = await supervisor.patch(`/api/reason-codes/${created.body.id}`, {
      json: { label: 'Lunch break' },
    });
    expect(renamed.body).toMatchObject({ code, label: 'Lunch break' });
    expectApiError(
      await agent.post('/api/reason-codes', { json: { code: uniqueName('x'), label: 'X' } }),
      403,
    );
    expect((await supervisor.delete(`/api/reason-codes/${created.body.id}`)).status).toBe(204);
    expectApiError(await supervisor.delete(`/api/reason-codes/${created.body.id}`), 404);
  });
});

describe("a user's extension", () => {
  it("may not be a queue's", async () => {
    const queue = await create({ name: uniqueName('q'), extension: uniqueExtension() });
    const admin = await server.signIn('admin');
    const refused = expectApiError(
      await admin.post('/api/users', {
        json: { username: uniqueName('u'), displayName: 'New Person', extension: queue.body.extension },
      }),
      409,
    );
    expect(refused.message).toBe(
      `Extension ${queue.body.extension} belongs to the queue ${queue.body.name}; choose another.`,
    );
    expect(refused.fields).toEqual({ extension: refused.message });
  });
});
