import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupSchema, type Group } from '../../contracts/groups';
import type { Profile } from '../../contracts/profiles';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeGroup, makeProfile, makeUser, uniqueName } from './support/fixtures';
import { auditEntries, groupId, profileId } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;
let operator: ApiClient;
let floor1: number;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
  supervisor = await server.signIn('supervisor');
  operator = await server.signIn('operator');
  floor1 = await groupId(server.db, 'floor_1');
});
afterAll(() => server?.close());

const memberNames = (group: Group) => group.members.map((m) => m.username);

describe('create, rename, delete', () => {
  it('creates a group and audits it once', async () => {
    const before = (await auditEntries(server.db)).length;
    const name = uniqueName('team');
    const response = await supervisor.post('/api/groups', { json: { name } });
    expect(response.status).toBe(201);
    const group = groupSchema.parse(response.body);
    expect(group).toMatchObject({ name, members: [], bargeProfiles: [] });
    const entries = (await auditEntries(server.db)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'group.create',
      actorUsername: 'supervisor',
      after: { name },
    });
  });

  it('renaming a group moves the profiles that monitor it to the new name', async () => {
    const group = await makeGroup(server.db);
    const profile = await makeProfile(server.db, { bargeGroup: group.name });
    const newName = uniqueName('renamed');
    const before = (await auditEntries(server.db)).length;

    const response = await supervisor.patch<Group>(`/api/groups/${group.id}`, { json: { name: newName } });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ id: group.id, name: newName, bargeProfiles: [profile.name] });
    expect((await admin.get<Profile>(`/api/profiles/${profile.id}`)).body.bargeGroup).toBe(newName);

    const entries = (await auditEntries(server.db)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'group.rename',
      before: { name: group.name },
      after: { name: newName },
    });
  });

  it('deleting a group leaves its monitoring profiles without a barge group and its members without it', async () => {
    const group = await makeGroup(server.db);
    const profile = await makeProfile(server.db, { bargeGroup: group.name });
    const member = await makeUser(server.db, { groupIds: [group.id] });

    expect((await admin.delete(`/api/groups/${group.id}`)).status).toBe(204);
    expectApiError(await admin.get(`/api/groups/${group.id}`), 404, 'not_found');
    expect((await admin.get<Profile>(`/api/profiles/${profile.id}`)).body.bargeGroup).toBeNull();
    expect((await admin.get<{ groups: string[] }>(`/api/users/${member.id}`)).body.groups).not.toContain(
      group.name,
    );
  });
});

describe('membership', () => {
  it('the operator adds and removes members of their barge group (floor_1), audited with before and after', async () => {
    const user = await makeUser(server.db);
    const before = (await auditEntries(server.db)).length;

    const added = await operator.put<Group>(`/api/groups/${floor1}/members/${user.id}`);
    expect(added.status, added.text).toBe(200);
    expect(memberNames(added.body)).toContain(user.username);
    expect((await operator.get<{ groups: string[] }>(`/api/users/${user.id}`)).body.groups).toContain(
      'floor_1',
    );

    const again = await operator.put<Group>(`/api/groups/${floor1}/members/${user.id}`);
    expect(again.status).toBe(200);
    expect(memberNames(again.body).filter((n) => n === user.username)).toHaveLength(1);

    const removed = await operator.delete<Group>(`/api/groups/${floor1}/members/${user.id}`);
    expect(removed.status).toBe(200);
    expect(memberNames(removed.body)).not.toContain(user.username);

    const entries = (await auditEntries(server.db)).slice(before);
    expect(entries.map((e) => e.action)).toEqual(['group.add_member', 'group.remove_member']);
    expect(entries[0]).toMatchObject({ actorUsername: 'operator', entityId: String(floor1) });
    expect((entries[0]?.after as { members: string[] }).members).toContain(user.username);
    expect((entries[0]?.before as { members: string[] }).members).not.toContain(user.username);
  });

  it('the operator may not change another group, and is told which group is theirs', async () => {
    const group = await makeGroup(server.db);
    const user = await makeUser(server.db);
    const before = (await auditEntries(server.db)).length;
    const error = expectApiError(
      await operator.put(`/api/groups/${group.id}/members/${user.id}`),
      403,
      'forbidden',
    );
    expect(error.message).toContain('floor_1');
    expect((await auditEntries(server.db)).length).toBe(before);
  });

  it('follows the operator’s profile: a new barge group moves the right with it', async () => {
    const group = await makeGroup(server.db);
    const user = await makeUser(server.db);
    const operators = await profileId(server.db, 'operators');
    expect(
      (await supervisor.patch(`/api/profiles/${operators}`, { json: { bargeGroup: group.name } })).status,
    ).toBe(200);
    try {
      expect((await operator.put(`/api/groups/${group.id}/members/${user.id}`)).status).toBe(200);
      expectApiError(await operator.put(`/api/groups/${floor1}/members/${user.id}`), 403, 'forbidden');
    } finally {
      await supervisor.patch(`/api/profiles/${operators}`, { json: { bargeGroup: 'floor_1' } });
    }
  });

  it('the operator may not add someone they could not monitor (an admin, a supervisor, another operator), told why', async () => {
    const before = (await auditEntries(server.db)).length;
    for (const [role, article] of [
      ['admin', 'an'],
      ['supervisor', 'a'],
      ['operator', 'an'],
    ] as const) {
      const user = await makeUser(server.db, { role, displayName: `Higher ${role}` });
      const error = expectApiError(
        await operator.put(`/api/groups/${floor1}/members/${user.id}`),
        403,
        'forbidden',
      );
      expect(error.message).toBe(
        `Higher ${role} is ${article} ${role}; an operator may monitor only agents, so they cannot join your barge group floor_1.`,
      );
      const group = await operator.get<Group>(`/api/groups/${floor1}`);
      expect(memberNames(group.body)).not.toContain(user.username);
    }
    const me = await operator.get<{ user: { id: number } }>('/api/me');
    const self = expectApiError(
      await operator.put(`/api/groups/${floor1}/members/${me.body.user.id}`),
      403,
      'forbidden',
    );
    expect(self.message).toBe(
      'You cannot monitor your own calls, so you cannot join your barge group floor_1.',
    );
    expect((await auditEntries(server.db)).length).toBe(before);
  });

  it('a supervisor still puts anyone in a group that is not their own barge group', async () => {
    const admin2 = await makeUser(server.db, { role: 'admin' });
    const response = await supervisor.put<Group>(`/api/groups/${floor1}/members/${admin2.id}`);
    expect(response.status, response.text).toBe(200);
    await supervisor.delete(`/api/groups/${floor1}/members/${admin2.id}`);
  });

  it('adding a user who does not exist is a 404', async () => {
    expectApiError(await supervisor.put(`/api/groups/${floor1}/members/2147483647`), 404, 'not_found');
  });

  it('a supervisor changes any group', async () => {
    const group = await makeGroup(server.db);
    const user = await makeUser(server.db);
    const response = await supervisor.put<Group>(`/api/groups/${group.id}/members/${user.id}`);
    expect(response.status).toBe(200);
    expect(memberNames(response.body)).toEqual([user.username]);
  });
});
