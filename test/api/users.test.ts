import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { userListSchema, userSchema, userWithPasswordSchema, type UserList } from '../../contracts/users';
import { secretsFor } from '../../server/auth/passwords';
import { addMember } from '../../server/store/groups-repository';
import { auditLog, sessions, users } from '../../server/store/schema';
import { insertUser } from '../../server/store/users-repository';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeGroup, makeProfile, makeUser, uniqueExtension, uniqueName } from './support/fixtures';
import { auditEntries, userId } from './support/snapshot';
import { serverPerFile, type TestServer } from './support/server-per-file';

let server: TestServer;
let admin: ApiClient;

serverPerFile((started, signedIn) => void ([server, admin] = [started, signedIn]));

describe('create', () => {
  it('returns a generated password once; it signs in and never appears again', async () => {
    const profile = await makeProfile(server.db);
    const username = uniqueName('new');
    const extension = uniqueExtension();
    const response = await admin.post('/api/users', {
      json: {
        username,
        displayName: 'Nina New',
        email: 'nina@example.com',
        extension,
        location: 'Floor 3',
        role: 'operator',
        profileId: profile.id,
        callListPrivacy: 'shortened',
      },
    });
    expect(response.status, response.text).toBe(201);
    const { user, password } = userWithPasswordSchema.parse(response.body);
    expect(user).toMatchObject({
      username,
      displayName: 'Nina New',
      email: 'nina@example.com',
      extension,
      location: 'Floor 3',
      role: 'operator',
      profileId: profile.id,
      profileName: profile.name,
      callListPrivacy: 'shortened',
      groups: [],
    });
    expect(password.length).toBeGreaterThanOrEqual(12);

    const client = await server.signIn(username, password);
    expect((await client.get<{ user: { id: number } }>('/api/me')).body.user.id).toBe(user.id);

    const fetched = await admin.get(`/api/users/${user.id}`);
    const listed = await admin.get(`/api/users?q=${username}`);
    const audit = await admin.get('/api/audit?limit=500');
    for (const later of [fetched, listed, audit]) {
      expect(later.status).toBe(200);
      expect(later.text).not.toContain(password);
    }
    expect(fetched.text).not.toMatch(/passwordHash|ha1|argon2/i);
    const everyAuditRow = JSON.stringify(await server.db.select().from(auditLog));
    expect(everyAuditRow).not.toContain(password);
    const [stored] = await server.db.select().from(users).where(eq(users.id, user.id));
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('writes one audit entry with the new user, by the admin', async () => {
    const before = (await auditEntries(server.db)).length;
    const username = uniqueName('audited');
    const response = await admin.post<{ user: { id: number } }>('/api/users', {
      json: { username, displayName: 'Audited', extension: uniqueExtension() },
    });
    expect(response.status).toBe(201);
    const entries = (await auditEntries(server.db)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'user.create',
      actorUsername: 'admin',
      actorId: await userId(server.db, 'admin'),
      entityId: String(response.body.user.id),
      after: expect.objectContaining({ username, role: 'agent' }),
    });
  });
});

describe('update', () => {
  it('changes role, profile, extension, email, location and privacy, auditing before and after', async () => {
    const target = await makeUser(server.db);
    const profile = await makeProfile(server.db);
    const extension = uniqueExtension();
    const before = (await auditEntries(server.db)).length;
    const response = await admin.patch(`/api/users/${target.id}`, {
      json: {
        role: 'supervisor',
        profileId: profile.id,
        extension,
        email: 'x@example.org',
        location: 'Home',
        callListPrivacy: 'none',
      },
    });
    expect(response.status, response.text).toBe(200);
    expect(userSchema.parse(response.body)).toMatchObject({
      role: 'supervisor',
      profileId: profile.id,
      extension,
      email: 'x@example.org',
      location: 'Home',
      callListPrivacy: 'none',
    });
    const entries = (await auditEntries(server.db)).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'user.update',
      before: expect.objectContaining({ role: 'agent', extension: target.extension, profile: null }),
      after: expect.objectContaining({ role: 'supervisor', extension, profile: profile.name }),
    });
  });

  it('the last admin cannot be demoted; with a second admin, one can', async () => {
    const adminId = await userId(server.db, 'admin');
    const before = (await auditEntries(server.db)).length;
    const refused = expectApiError(
      await admin.patch(`/api/users/${adminId}`, { json: { role: 'supervisor' } }),
      403,
      'forbidden',
    );
    expect(refused.message).toMatch(/last admin/i);
    expect((await auditEntries(server.db)).length).toBe(before);

    const second = await makeUser(server.db, { role: 'admin' });
    const demoted = await admin.patch(`/api/users/${second.id}`, { json: { role: 'agent' } });
    expect(demoted.status, demoted.text).toBe(200);
    expect(userSchema.parse(demoted.body).role).toBe('agent');
  });
});

describe('reset password', () => {
  it('gives a new password, refuses the old one and ends the user’s sessions', async () => {
    const target = await makeUser(server.db);
    const session = await server.signIn(target.username, target.password);
    expect((await session.get('/api/me')).status).toBe(200);

    const response = await admin.post(`/api/users/${target.id}/password`);
    expect(response.status).toBe(200);
    const { password } = userWithPasswordSchema.parse(response.body);
    expect(password).not.toBe(target.password);

    expectApiError(await session.get('/api/me'), 401, 'unauthenticated');
    expect(await server.db.select().from(sessions).where(eq(sessions.userId, target.id))).toHaveLength(0);
    expectApiError(await server.client().signIn(target.username, target.password), 401);
    expect((await server.client().signIn(target.username, password)).status).toBe(200);

    const [entry] = (await auditEntries(server.db)).filter(
      (e) => e.action === 'user.reset_password' && e.entityId === String(target.id),
    );
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).not.toContain(password);
  });
});

describe('delete', () => {
  it('removes the user, their memberships and their sessions', async () => {
    const group = await makeGroup(server.db);
    const target = await makeUser(server.db, { groupIds: [group.id] });
    const session = await server.signIn(target.username, target.password);

    expect((await admin.delete(`/api/users/${target.id}`)).status).toBe(204);
    expectApiError(await admin.get(`/api/users/${target.id}`), 404, 'not_found');
    expectApiError(await session.get('/api/me'), 401, 'unauthenticated');
    const members = (await admin.get<{ members: { id: number }[] }>(`/api/groups/${group.id}`)).body.members;
    expect(members.map((m) => m.id)).not.toContain(target.id);
  });
});

describe('list: search, paging and filters over 60 users', () => {
  const COUNT = 60;
  let profile: { id: number; name: string };
  let group: { id: number; name: string };
  const all = async (query: string) => {
    const response = await admin.get<UserList>(`/api/users?${query}`);
    expect(response.status, response.text).toBe(200);
    return userListSchema.parse(response.body);
  };

  beforeAll(async () => {
    profile = await makeProfile(server.db);
    group = await makeGroup(server.db);
    const secrets = await secretsFor('bulk', server.config.sipDomain, 'not-used');
    for (let i = 0; i < COUNT; i++) {
      const id = await insertUser(
        server.db,
        {
          username: `bulk_${String(i).padStart(3, '0')}`,
          displayName: `Bulk Person ${i}`,
          email: i % 10 === 0 ? `bulk${i}@example.com` : null,
          extension: String(60_000 + i),
          location: null,
          role: i % 2 === 0 ? 'agent' : 'operator',
          profileId: i % 3 === 0 ? profile.id : null,
          callListPrivacy: 'complete',
        },
        secrets,
      );
      if (i % 4 === 0) await addMember(server.db, group.id, id);
    }
  });

  it('searches username (with _ taken literally), display name and extension', async () => {
    expect((await all('q=bulk_&limit=500')).total).toBe(COUNT);
    expect((await all('q=bulk%25&limit=500')).total).toBe(0);
    expect((await all('q=BULK%20PERSON%2042')).items.map((u) => u.username)).toEqual(['bulk_042']);
    expect((await all('q=60007')).items.map((u) => u.username)).toEqual(['bulk_007']);
    expect((await all('q=bulk50%40example')).items.map((u) => u.username)).toEqual(['bulk_050']);
  });

  it('pages in username order without gaps or repeats', async () => {
    const pages = [
      await all('q=bulk_&limit=25'),
      await all('q=bulk_&limit=25&offset=25'),
      await all('q=bulk_&limit=25&offset=50'),
    ];
    expect(pages.map((p) => p.items.length)).toEqual([25, 25, COUNT - 50]);
    for (const page of pages) expect(page.total).toBe(COUNT);
    expect(pages[1]).toMatchObject({ offset: 25, limit: 25 });
    const names = pages.flatMap((p) => p.items.map((u) => u.username));
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(COUNT);
    expect((await all('q=bulk_&offset=1000')).items).toEqual([]);
  });

  it('filters by role, profile and group, alone and together', async () => {
    const expected = (keep: (i: number) => boolean) =>
      Array.from({ length: COUNT }, (_, i) => i)
        .filter(keep)
        .map((i) => `bulk_${String(i).padStart(3, '0')}`);
    const names = (list: UserList) => list.items.map((u) => u.username);

    const operators = await all('q=bulk_&role=operator&limit=500');
    expect(names(operators)).toEqual(expected((i) => i % 2 === 1));
    expect(operators.total).toBe(operators.items.length);

    const onProfile = await all(`profileId=${profile.id}&limit=500`);
    expect(names(onProfile)).toEqual(expected((i) => i % 3 === 0));
    expect(onProfile.total).toBe(onProfile.items.length);

    const inGroup = await all(`group=${group.name}&limit=500`);
    expect(names(inGroup)).toEqual(expected((i) => i % 4 === 0));
    expect(inGroup.total).toBe(inGroup.items.length);
    for (const user of inGroup.items) expect(user.groups).toContain(group.name);

    const combined = await all(`group=${group.name}&role=agent&profileId=${profile.id}&limit=500`);
    expect(names(combined)).toEqual(expected((i) => i % 4 === 0 && i % 3 === 0));
    expect(combined.total).toBe(combined.items.length);
  });

  it('the total of a filtered first page counts every match, not just the page', async () => {
    const page = await all(`group=${group.name}&limit=5`);
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(COUNT / 4);
  });
});
