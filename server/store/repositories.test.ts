import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from './audit-repository';
import { finishCall, insertCall, listCalls, markCallAnswered } from './calls-repository';
import type { Database } from './database';
import { seedIfEmpty } from './demo-seed';
import { addMember, findGroupByName, listGroups, renameGroup } from './groups-repository';
import { deleteProfile, findProfileByName, listProfiles, updateProfile } from './profiles-repository';
import { users, userSearchText } from './schema';
import { freshTestDatabase, testBackends } from './test-database';
import { findUserByUsername, listUsers } from './users-repository';

// Runs on PGlite, and on Postgres too when TEST_DATABASE_URL is set (CI does both).
describe.each(testBackends())('repositories on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    await seedIfEmpty(database.db, { demo: true, sipRealm: 'test.local' });
  });
  afterAll(() => database.close());

  it('seeds the demo call center once', async () => {
    const { db } = database;
    expect((await listProfiles(db)).map((p) => p.name)).toEqual(['agents', 'operators', 'supervisors']);
    const floor = await findGroupByName(db, 'floor_1');
    expect(floor?.members.map((m) => m.username)).toEqual(['agent1', 'agent2', 'agent3']);
    expect(floor?.bargeProfiles).toEqual(['operators']);
    expect(await seedIfEmpty(db, { demo: true, sipRealm: 'test.local' })).toEqual([]);
    expect((await listAudit(db, { offset: 0, limit: 10 })).items.map((e) => e.action)).toEqual(['seed.demo']);
  });

  it('stores no password, only argon2id and the SIP HA1s', async () => {
    const user = await findUserByUsername(database.db, 'agent1');
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user?.ha1Md5).toMatch(/^[0-9a-f]{32}$/);
    expect(user?.ha1Sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(user?.sipRealm).toBe('test.local');
  });

  it('searches users by name, username and extension, with paging and filters', async () => {
    const { db } = database;
    const byName = await listUsers(db, { q: 'agent t', offset: 0, limit: 50 });
    expect(byName.items.map((u) => u.username).sort()).toEqual(['agent2', 'agent3']);
    expect((await listUsers(db, { q: '1004', offset: 0, limit: 50 })).items.map((u) => u.username)).toEqual([
      'operator',
    ]);
    const paged = await listUsers(db, { offset: 2, limit: 2 });
    expect(paged.total).toBe(6);
    expect(paged.items).toHaveLength(2);
    expect((await listUsers(db, { group: 'floor_1', role: 'agent', offset: 0, limit: 50 })).total).toBe(3);
    // LIKE wildcards in a search are literal characters.
    expect((await listUsers(db, { q: '%', offset: 0, limit: 50 })).total).toBe(0);
  });

  it('answers a page with its total and group names, past the end too', async () => {
    const { db } = database;
    const agents = await listUsers(db, { q: 'AGENT', offset: 1, limit: 1 });
    expect(agents.total).toBe(3);
    expect(agents.items.map((u) => [u.username, u.profileName, u.groups])).toEqual([
      ['agent2', 'agents', ['floor_1']],
    ]);
    expect((await listUsers(db, { q: 'sam', offset: 0, limit: 5 })).items[0]?.groups).toEqual([]);
    expect(await listUsers(db, { q: 'agent', offset: 10, limit: 5 })).toEqual({ items: [], total: 3 });
    expect(await listUsers(db, { q: 'nobody here', offset: 0, limit: 5 })).toEqual({ items: [], total: 0 });
  });

  it('answers a typed search from the trigram index, field by field', async () => {
    const { db } = database;
    // Six users are read faster than an index: forbid the full scan to see the index serve it.
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain select id from users where ${userSearchText(users)} like '%gent%'`);
    });
    expect(JSON.stringify(plan)).toContain('users_search_trgm_idx');
    // Display name "Agent One" and extension 1001: no match across the two.
    expect((await listUsers(db, { q: 'one1001', offset: 0, limit: 5 })).total).toBe(0);
    expect((await listUsers(db, { q: 'ONE', offset: 0, limit: 5 })).items.map((u) => u.username)).toEqual([
      'agent1',
    ]);
  });

  it('renames a group and the profiles that monitor it follow', async () => {
    const { db } = database;
    const floor = await findGroupByName(db, 'floor_1');
    if (!floor) throw new Error('seed has floor_1');
    await renameGroup(db, floor.id, 'floor_1', 'floor_a');
    expect((await findProfileByName(db, 'operators'))?.bargeGroup).toBe('floor_a');
    await renameGroup(db, floor.id, 'floor_a', 'floor_1');
    expect((await listGroups(db)).map((g) => g.name)).toEqual(['floor_1']);
    const agent = await findUserByUsername(db, 'agent1');
    expect(await addMember(db, floor.id, agent?.id ?? 0)).toBe(false);
  });

  it('records a call and deletes a profile with its history, keeping its users', async () => {
    const { db } = database;
    const agents = await findProfileByName(db, 'agents');
    const [a1, a2] = [await findUserByUsername(db, 'agent1'), await findUserByUsername(db, 'agent2')];
    if (!agents || !a1 || !a2) throw new Error('seed missing');
    const id = await insertCall(db, {
      callId: 'abc@test',
      fromUri: '1001',
      fromName: a1.displayName,
      fromUserId: a1.id,
      toUri: '1002',
      toName: a2.displayName,
      toUserId: a2.id,
      callerProfileId: agents.id,
      callerProfile: agents.name,
      calleeProfileId: agents.id,
      calleeProfile: agents.name,
    });
    await markCallAnswered(db, id);
    await finishCall(db, id, 'answered', null);
    const listed = await listCalls(db, { participantId: a2.id }, { offset: 0, limit: 10 });
    expect(listed.items.map((c) => [c.callId, c.disposition])).toEqual([['abc@test', 'answered']]);

    await updateProfile(db, agents.id, { name: 'agents_day' });
    expect((await findUserByUsername(db, 'agent1'))?.profileName).toBe('agents_day');

    expect(await deleteProfile(db, agents.id)).toEqual({ callRecords: 1 });
    expect((await findUserByUsername(db, 'agent1'))?.profileId).toBeNull();
    expect((await listCalls(db, {}, { offset: 0, limit: 10 })).total).toBe(0);
  });

  it('refuses to change or remove audit entries', async () => {
    const { db } = database;
    await expect(db.execute(sql`update audit_log set actor_username = 'someone else'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log`)).rejects.toThrow();
    expect((await listAudit(db, { offset: 0, limit: 10 })).items[0]?.actorUsername).toBe('system');
  });
});
