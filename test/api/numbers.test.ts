import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneNumberListSchema, phoneNumberSchema, type PhoneNumber } from '../../contracts/numbers';
import { NumberDirectory } from '../../server/directory/number-directory';
import { auditLog, phoneNumbers } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeGroup, makeUser } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let admin: ApiClient;
let numbers: NumberDirectory;
let sequence = 0;
/** A number no other case uses. */
const freshNumber = () =>
  `+4930${String(process.pid % 1000).padStart(3, '0')}${String(++sequence).padStart(4, '0')}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
  // The edge's copy, fed by the server's own change events.
  numbers = new NumberDirectory({ db: server.db, events: server.events, refreshMs: 0 });
});
afterAll(async () => {
  numbers?.close();
  await server?.close();
});

const auditOf = (id: number) =>
  server.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.entityId, String(id)))
    .orderBy(auditLog.id)
    .then((rows) => rows.filter((row) => row.entity === 'number'));

async function create(body: Record<string, unknown>): Promise<PhoneNumber> {
  const response = await admin.post<PhoneNumber>('/api/numbers', { json: body });
  expect(response.status, response.text).toBe(201);
  return phoneNumberSchema.parse(response.body);
}

describe('assignments', () => {
  it('a number rings a user, a group or nobody; the answer names them and the edge hears of it at once', async () => {
    const user = await makeUser(server.db, { displayName: 'Ada Lovelace' });
    const group = await makeGroup(server.db);
    const toUser = await create({
      number: freshNumber(),
      assignment: { kind: 'user', userId: user.id },
      label: ' Sales ',
    });
    expect(toUser).toMatchObject({
      label: 'Sales',
      assignment: { kind: 'user', userId: user.id, username: user.username, displayName: 'Ada Lovelace' },
    });
    const toGroup = await create({ number: freshNumber(), assignment: { kind: 'group', groupId: group.id } });
    expect(toGroup.assignment).toEqual({ kind: 'group', groupId: group.id, name: group.name });
    const toNobody = await create({ number: freshNumber() });
    expect(toNobody).toMatchObject({ label: '', assignment: null });

    expect(await numbers.assignmentOf(toUser.number)).toEqual({ kind: 'user', userId: user.id });
    expect(await numbers.assignmentOf(toGroup.number)).toEqual({ kind: 'group', groupId: group.id });
    expect(await numbers.assignmentOf(toNobody.number)).toBeNull();

    const list = phoneNumberListSchema.parse((await admin.get('/api/numbers')).body);
    expect(list.items.map((n) => n.id)).toEqual(expect.arrayContaining([toUser.id, toGroup.id, toNobody.id]));
    expect(list.items.map((n) => n.number)).toEqual([...list.items.map((n) => n.number)].sort());
    expect((await admin.get(`/api/numbers/${toGroup.id}`)).body).toEqual(toGroup);

    const entries = await auditOf(toUser.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'number.create',
      actorUsername: 'admin',
      after: { number: toUser.number, label: 'Sales', assignment: { kind: 'user', username: user.username } },
    });
  });

  it('PATCH moves a number from a user to a group, relabels it, and unassigns it; each change audited', async () => {
    const user = await makeUser(server.db);
    const group = await makeGroup(server.db);
    const number = await create({ number: freshNumber(), assignment: { kind: 'user', userId: user.id } });

    const moved = await admin.patch<PhoneNumber>(`/api/numbers/${number.id}`, {
      json: { assignment: { kind: 'group', groupId: group.id } },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.assignment).toEqual({ kind: 'group', groupId: group.id, name: group.name });
    // Never both: the user is gone from the row.
    const [row] = await server.db.select().from(phoneNumbers).where(eq(phoneNumbers.id, number.id));
    expect([row?.userId, row?.groupId]).toEqual([null, group.id]);
    expect(await numbers.assignmentOf(number.number)).toEqual({ kind: 'group', groupId: group.id });

    const relabelled = await admin.patch<PhoneNumber>(`/api/numbers/${number.id}`, {
      json: { label: 'Support' },
    });
    expect(relabelled.body).toMatchObject({
      label: 'Support',
      assignment: { kind: 'group', groupId: group.id },
    });

    const unassigned = await admin.patch<PhoneNumber>(`/api/numbers/${number.id}`, {
      json: { assignment: null },
    });
    expect(unassigned.body.assignment).toBeNull();
    expect(await numbers.assignmentOf(number.number)).toBeNull();

    const entries = await auditOf(number.id);
    expect(entries.map((e) => e.action)).toEqual([
      'number.create',
      'number.update',
      'number.update',
      'number.update',
    ]);
    expect(entries[1]).toMatchObject({
      before: { assignment: { kind: 'user', userId: user.id } },
      after: { assignment: { kind: 'group', groupId: group.id, name: group.name } },
    });
  });

  it('a number rings a queue: named in the answer and the audit; deleting the queue leaves it ringing nobody', async () => {
    const created = await admin.post<{ id: number; name: string }>('/api/queues', {
      json: { name: `sales_${process.pid}`, extension: `7${String(process.pid % 1000).padStart(3, '0')}` },
    });
    expect(created.status, created.text).toBe(201);
    const queue = created.body;
    const number = await create({ number: freshNumber(), assignment: { kind: 'queue', queueId: queue.id } });
    expect(number.assignment).toEqual({ kind: 'queue', queueId: queue.id, name: queue.name });
    expect(await numbers.assignmentOf(number.number)).toEqual({ kind: 'queue', queueId: queue.id });
    expect((await auditOf(number.id))[0]).toMatchObject({
      after: { assignment: { kind: 'queue', queueId: queue.id, name: queue.name } },
    });

    const other = await create({ number: freshNumber() });
    const moved = await admin.patch<PhoneNumber>(`/api/numbers/${other.id}`, {
      json: { assignment: { kind: 'queue', queueId: queue.id } },
    });
    expect(moved.body.assignment).toEqual({ kind: 'queue', queueId: queue.id, name: queue.name });

    expect((await admin.delete(`/api/queues/${queue.id}`)).status).toBe(204);
    expect((await admin.get<PhoneNumber>(`/api/numbers/${number.id}`)).body.assignment).toBeNull();
    expect(await numbers.assignmentOf(number.number)).toBeNull();
  });

  it('deleting the user leaves the number assigned to nobody, and the edge hears of it', async () => {
    const user = await makeUser(server.db);
    const number = await create({ number: freshNumber(), assignment: { kind: 'user', userId: user.id } });
    expect(await numbers.assignmentOf(number.number)).toEqual({ kind: 'user', userId: user.id });
    expect((await admin.delete(`/api/users/${user.id}`)).status).toBe(204);
    expect((await admin.get<PhoneNumber>(`/api/numbers/${number.id}`)).body.assignment).toBeNull();
    expect(await numbers.assignmentOf(number.number)).toBeNull();
  });
});

describe('refusals', () => {
  const badCases: { name: string; body: Record<string, unknown>; field: string; says: RegExp }[] = [
    {
      name: 'a national number',
      body: { number: '030 1234567' },
      field: 'number',
      says: /international format/,
    },
    {
      name: 'a number without +',
      body: { number: '493012345678' },
      field: 'number',
      says: /\+ then 6 to 15 digits/,
    },
    {
      name: 'a number too long',
      body: { number: '+4930123456789012' },
      field: 'number',
      says: /6 to 15 digits/,
    },
    {
      name: 'a number starting +0',
      body: { number: '+0301234567' },
      field: 'number',
      says: /international format/,
    },
    {
      name: 'an unknown kind of assignment',
      body: { number: '+493012345600', assignment: { kind: 'fax', faxId: 1 } },
      field: 'assignment.kind',
      says: /user .* group .* queue/,
    },
    {
      name: 'a user and a group at once',
      body: { number: '+493012345601', assignment: { kind: 'user', userId: 1, groupId: 1 } },
      field: 'assignment.groupId',
      says: /not a known field/,
    },
    {
      name: 'a user id that is not a whole number',
      body: { number: '+493012345602', assignment: { kind: 'user', userId: 1.5 } },
      field: 'assignment.userId',
      says: /whole number/,
    },
    {
      name: 'a label over 80 characters',
      body: { number: '+493012345603', label: 'x'.repeat(81) },
      field: 'label',
      says: /at most 80/,
    },
  ];

  it.each(badCases)(
    'POST with $name: 400 naming the field, nothing stored',
    async ({ body, field, says }) => {
      const before = (await server.db.select().from(phoneNumbers)).length;
      const error = expectApiError(
        await admin.post('/api/numbers', { json: body }),
        400,
        'validation_failed',
      );
      expect(error.fields?.[field], JSON.stringify(error.fields)).toMatch(says);
      expect((await server.db.select().from(phoneNumbers)).length).toBe(before);
    },
  );

  it('an unknown user, group or queue: 400 naming the field, on create and on PATCH', async () => {
    const unknownUser = expectApiError(
      await admin.post('/api/numbers', {
        json: { number: freshNumber(), assignment: { kind: 'user', userId: 999999 } },
      }),
      400,
      'validation_failed',
    );
    expect(unknownUser.message).toBe('User 999999 does not exist; choose another.');
    expect(unknownUser.fields).toEqual({ 'assignment.userId': 'User 999999 does not exist' });

    const number = await create({ number: freshNumber() });
    const unknownGroup = expectApiError(
      await admin.patch(`/api/numbers/${number.id}`, {
        json: { assignment: { kind: 'group', groupId: 999999 } },
      }),
      400,
      'validation_failed',
    );
    expect(unknownGroup.fields).toEqual({ 'assignment.groupId': 'Group 999999 does not exist' });
    const unknownQueue = expectApiError(
      await admin.patch(`/api/numbers/${number.id}`, {
        json: { assignment: { kind: 'queue', queueId: 999999 } },
      }),
      400,
      'validation_failed',
    );
    expect(unknownQueue.message).toBe('Queue 999999 does not exist; choose another.');
    expect(unknownQueue.fields).toEqual({ 'assignment.queueId': 'Queue 999999 does not exist' });
    expect((await admin.get<PhoneNumber>(`/api/numbers/${number.id}`)).body).toEqual(number);
    // The number itself is not changed by PATCH: it is a different number.
    expect(
      expectApiError(await admin.patch(`/api/numbers/${number.id}`, { json: { number: freshNumber() } }), 400)
        .fields,
    ).toEqual({ number: 'number is not a known field' });
  });

  it('a number is held once: 409 with a sentence', async () => {
    const first = await create({ number: freshNumber(), label: 'Hotline' });
    const error = expectApiError(
      await admin.post('/api/numbers', { json: { number: ` ${first.number}` } }),
      409,
      'conflict',
    );
    expect(error.message).toBe(`The number ${first.number} is already in the list (Hotline).`);
    expect(error.fields).toEqual({ number: error.message });
  });

  it('delete: 204, then 404; audited; calls to it no longer find anyone', async () => {
    const user = await makeUser(server.db);
    const number = await create({ number: freshNumber(), assignment: { kind: 'user', userId: user.id } });
    expect((await admin.delete(`/api/numbers/${number.id}`)).status).toBe(204);
    for (const response of [
      await admin.get(`/api/numbers/${number.id}`),
      await admin.patch(`/api/numbers/${number.id}`, { json: { label: 'x' } }),
      await admin.delete(`/api/numbers/${number.id}`),
    ])
      expect(expectApiError(response, 404, 'not_found').message).toBe(`Number ${number.id} does not exist.`);
    expect((await auditOf(number.id)).map((e) => e.action)).toEqual(['number.create', 'number.delete']);
    expect(await numbers.assignmentOf(number.number)).toBeNull();
  });
});
