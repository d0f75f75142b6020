import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { profileSchema, type Profile } from '../../contracts/profiles';
import { userSchema } from '../../contracts/users';
import { finishCall, insertCall } from '../../server/store/calls-repository';
import { auditLog, callRecords } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { parseCsv } from './support/csv';
import { expectApiError } from './support/expect-error';
import { makeProfile, makeUser, uniqueName } from './support/fixtures';
import { auditEntries, profileId, userId } from './support/snapshot';
import { serverPerFile, type TestServer } from './support/server-per-file';

let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;

serverPerFile(async (started, signedIn) => {
  [server, admin] = [started, signedIn];
  supervisor = await started.signIn('supervisor');
});

/** The audit entries written since `before` (an earlier entry count). */
async function auditSince(before: number) {
  return (await auditEntries(server.db)).slice(before);
}

describe('create', () => {
  it('creates a profile with defaults, and writes one audit entry naming the actor', async () => {
    const before = (await auditEntries(server.db)).length;
    const name = uniqueName('sales');
    const response = await supervisor.post<Profile>('/api/profiles', {
      json: { name, capacity: 4, channelLimit: 300, flags: ['call', 'transfer', 'call'] },
    });
    expect(response.status).toBe(201);
    const created = profileSchema.parse(response.body);
    expect(created).toMatchObject({
      name,
      capacity: 4,
      channelLimit: 300,
      bargeGroup: null,
      monitorNotice: false,
      userCount: 0,
    });
    expect([...created.flags].sort()).toEqual(['call', 'transfer']);

    const entries = await auditSince(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'profile.create',
      entity: 'profile',
      entityId: String(created.id),
      actorId: await userId(server.db, 'supervisor'),
      actorUsername: 'supervisor',
      before: null,
      after: expect.objectContaining({ name, capacity: 4, channelLimit: 300 }),
    });

    const fetched = await supervisor.get<Profile>(`/api/profiles/${created.id}`);
    expect(fetched.body).toEqual(created);
  });

  it('accepts the boundaries: a 64-character name, channel limit 1, capacity 1', async () => {
    const name = `b${Date.now()}`.padEnd(64, 'x');
    const response = await admin.post('/api/profiles', { json: { name, capacity: 1, channelLimit: 1 } });
    expect(response.status, response.text).toBe(201);
    expect(profileSchema.parse(response.body).name).toBe(name);
  });

  it('lists every profile with its user count and live seats and channels', async () => {
    const response = await supervisor.get<{ items: Profile[] }>('/api/profiles');
    expect(response.status).toBe(200);
    const agents = response.body.items.find((p) => p.name === 'agents');
    expect(agents).toMatchObject({ userCount: 3, seatsInUse: 0, channelsInUse: 0 });
    const names = response.body.items.map((p) => p.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('update and rename', () => {
  it('updates settings and writes one audit entry with before and after', async () => {
    const profile = await makeProfile(server.db);
    const before = (await auditEntries(server.db)).length;
    const response = await supervisor.patch<Profile>(`/api/profiles/${profile.id}`, {
      json: { channelLimit: 12, flags: ['call', 'listen'], bargeGroup: 'floor_1', monitorNotice: true },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ channelLimit: 12, bargeGroup: 'floor_1', monitorNotice: true });

    const entries = await auditSince(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'profile.update',
      actorUsername: 'supervisor',
      before: expect.objectContaining({ channelLimit: 5, bargeGroup: null, monitorNotice: false }),
      after: expect.objectContaining({ channelLimit: 12, bargeGroup: 'floor_1', monitorNotice: true }),
    });
  });

  it('renaming keeps every user on the profile', async () => {
    const profile = await makeProfile(server.db);
    const members = [
      await makeUser(server.db, { profileId: profile.id }),
      await makeUser(server.db, { profileId: profile.id }),
    ];
    const newName = uniqueName('renamed');
    const before = (await auditEntries(server.db)).length;

    const response = await admin.patch<Profile>(`/api/profiles/${profile.id}`, { json: { name: newName } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: profile.id, name: newName, userCount: 2 });

    for (const member of members) {
      const user = userSchema.parse((await admin.get(`/api/users/${member.id}`)).body);
      expect(user).toMatchObject({ profileId: profile.id, profileName: newName });
    }
    const listed = await admin.get<{ total: number }>(`/api/users?profileId=${profile.id}`);
    expect(listed.body.total).toBe(2);

    const entries = await auditSince(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'profile.rename',
      before: expect.objectContaining({ name: profile.name }),
      after: expect.objectContaining({ name: newName }),
    });
  });

  it('renaming to its own name is allowed', async () => {
    const profile = await makeProfile(server.db);
    const response = await admin.patch(`/api/profiles/${profile.id}`, { json: { name: profile.name } });
    expect(response.status, response.text).toBe(200);
  });

  it('a refused change writes no audit entry', async () => {
    const before = (await auditEntries(server.db)).length;
    const own = await profileId(server.db, 'supervisors');
    expectApiError(
      await supervisor.patch(`/api/profiles/${own}`, { json: { capacity: 99 } }),
      403,
      'forbidden',
    );
    expectApiError(
      await supervisor.patch(`/api/profiles/${own}`, { json: { name: 'agents' } }),
      403,
      'forbidden',
    );
    expect(await auditSince(before)).toHaveLength(0);
  });
});

describe('two creations of the same name at once', () => {
  it('one wins, the other is a 409, and exactly one audit entry is written', async () => {
    const name = uniqueName('race');
    const responses = await Promise.all(
      [admin, supervisor, admin, supervisor].map((client) =>
        client.post('/api/profiles', { json: { name, capacity: 2, channelLimit: 2 } }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const refused of responses.filter((r) => r.status === 409)) expectApiError(refused, 409, 'conflict');
    const created = await server.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'profile.create')));
    expect(created.filter((entry) => (entry.after as { name?: string } | null)?.name === name)).toHaveLength(
      1,
    );
  });
});

describe('delete', () => {
  async function profileWithHistory() {
    const profile = await makeProfile(server.db);
    const other = await makeProfile(server.db);
    const alice = await makeUser(server.db, { profileId: profile.id });
    const bob = await makeUser(server.db, { profileId: profile.id });
    const carol = await makeUser(server.db, { profileId: other.id });
    const call = async (
      from: typeof alice,
      fromProfile: typeof profile,
      to: typeof alice,
      toProfile: typeof profile,
    ) => {
      const id = await insertCall(server.db, {
        callId: uniqueName('call'),
        fromUri: from.extension,
        fromName: from.username,
        fromUserId: from.id,
        toUri: to.extension,
        toName: to.username,
        toUserId: to.id,
        callerProfileId: fromProfile.id,
        callerProfile: fromProfile.name,
        calleeProfileId: toProfile.id,
        calleeProfile: toProfile.name,
      });
      await finishCall(server.db, id, 'answered', null);
      return id;
    };
    const own = [
      await call(alice, profile, bob, profile),
      await call(alice, profile, carol, other),
      await call(carol, other, bob, profile),
    ];
    const unrelated = await call(carol, other, carol, other);
    return { profile, users: [alice, bob], own, unrelated };
  }

  it('deletion-impact counts users and call records and links the CSV export of exactly those', async () => {
    const { profile, own } = await profileWithHistory();
    const impact = await admin.get<{ userCount: number; callRecordCount: number; exportUrl: string }>(
      `/api/profiles/${profile.id}/deletion-impact`,
    );
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({ userCount: 2, callRecordCount: own.length });

    const csv = await admin.get<string>(impact.body.exportUrl);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header?.[0]).toBe('id');
    expect(rows.map((row) => Number(row[0])).sort((a, b) => a - b)).toEqual([...own].sort((a, b) => a - b));
  });

  it('leaves its users without a profile, deletes its call records, keeps the others, audits once', async () => {
    const { profile, users, own, unrelated } = await profileWithHistory();
    const before = (await auditEntries(server.db)).length;

    const response = await admin.delete(`/api/profiles/${profile.id}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      usersUnassigned: 2,
      callRecordsDeleted: own.length,
      creditReturned: '0.00',
      currency: 'EUR',
      numbersReturned: [],
    });

    expectApiError(await admin.get(`/api/profiles/${profile.id}`), 404, 'not_found');
    for (const user of users) {
      const fetched = userSchema.parse((await admin.get(`/api/users/${user.id}`)).body);
      expect(fetched).toMatchObject({ profileId: null, profileName: null });
    }
    const remaining = (await server.db.select({ id: callRecords.id }).from(callRecords)).map((r) => r.id);
    for (const id of own) expect(remaining).not.toContain(id);
    expect(remaining).toContain(unrelated);

    const entries = await auditSince(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'profile.delete',
      actorUsername: 'admin',
      entityId: String(profile.id),
      before: expect.objectContaining({ name: profile.name, userCount: 2, callRecordsDeleted: own.length }),
      after: null,
    });
  });

  it('a user left without a profile still signs in to the console, with no profile', async () => {
    const profile = await makeProfile(server.db);
    const user = await makeUser(server.db, { profileId: profile.id });
    expect((await admin.delete(`/api/profiles/${profile.id}`)).status).toBe(200);
    const client = await server.signIn(user.username, user.password);
    const me = await client.get<{ profile: unknown }>('/api/me');
    expect(me.body.profile).toBeNull();
  });
});
