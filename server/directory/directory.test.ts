import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus';
import type { Database } from '../store/database';
import { addMember, insertGroup, removeMember } from '../store/groups-repository';
import { insertProfile, updateProfile } from '../store/profiles-repository';
import { freshTestDatabase } from '../store/test-database';
import { createAccount } from '../store/user-accounts';
import { updateUser } from '../store/users-repository';
import { Directory } from './directory';

/** Counts the queries a directory makes, by wrapping the database's `select`. */
function countingQueries(database: Database): { db: Database['db']; count: () => number } {
  let queries = 0;
  const db = new Proxy(database.db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'select' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        queries++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db, count: () => queries };
}

describe('directory', () => {
  let database: Database;
  let profileId: number;
  let groupId: number;
  let userId: number;

  beforeAll(async () => {
    database = await freshTestDatabase();
    const { db } = database;
    profileId = await insertProfile(db, {
      name: 'floor',
      capacity: 5,
      channelLimit: 5,
      flags: ['call'],
      bargeGroup: null,
      monitorNotice: false,
    });
    groupId = await insertGroup(db, 'team');
    const account = {
      username: 'ada',
      displayName: 'Ada',
      email: null,
      extension: '2001',
      location: null,
      role: 'agent' as const,
      profileId,
      callListPrivacy: 'complete' as const,
    };
    userId = (await createAccount(db, account, 'switchboard.local')).id;
    await addMember(db, groupId, userId);
  });
  afterAll(() => database.close());

  it('answers from memory once loaded: no query per lookup', async () => {
    const counted = countingQueries(database);
    const directory = new Directory({ db: counted.db, events: new EventBus(), refreshMs: 0 });
    try {
      await directory.settled();
      const afterLoad = counted.count();
      for (let i = 0; i < 100; i++) {
        expect((await directory.byUsername('ada'))?.extension).toBe('2001');
        expect((await directory.byExtension('2001'))?.username).toBe('ada');
        expect(await directory.isMember('team', userId)).toBe(true);
      }
      const person = await directory.person(userId);
      expect(person?.user.groups).toEqual(['team']);
      expect(person?.profile?.name).toBe('floor');
      expect(counted.count()).toBe(afterLoad);
    } finally {
      directory.close();
    }
  });

  it('takes a change on the next lookup once its event is heard', async () => {
    const events = new EventBus();
    const directory = new Directory({ db: database.db, events, refreshMs: 0 });
    try {
      await directory.settled();
      const before = await directory.person(userId);
      expect(await directory.person(userId)).toBe(before); // the same answer until a reload
      await updateUser(database.db, userId, { displayName: 'Ada L.' });
      events.publish({ entity: 'user', id: userId });
      expect((await directory.byUsername('ada'))?.displayName).toBe('Ada L.');
      expect((await directory.person(userId))?.user.displayName).toBe('Ada L.');

      await updateProfile(database.db, profileId, {
        name: 'floor',
        capacity: 5,
        channelLimit: 5,
        flags: ['call', 'transfer'],
        bargeGroup: null,
        monitorNotice: false,
      });
      events.publish({ entity: 'profile', id: profileId });
      expect((await directory.byUsername('ada'))?.profile?.flags).toEqual(['call', 'transfer']);
      expect((await directory.person(userId))?.profile?.flags).toEqual(['call', 'transfer']);

      await removeMember(database.db, groupId, userId);
      events.publish({ entity: 'group', id: groupId });
      expect(await directory.isMember('team', userId)).toBe(false);
      expect((await directory.person(userId))?.user.groups).toEqual([]);
    } finally {
      await addMember(database.db, groupId, userId);
      directory.close();
    }
  });

  it('says at once what memory holds, and leaves the rest (loading, reloading, unknown) to byUsername', async () => {
    const events = new EventBus();
    const directory = new Directory({ db: database.db, events, refreshMs: 0 });
    try {
      expect(directory.byUsernameNow('ada')).toBeUndefined(); // still loading
      await directory.settled();
      expect(directory.byUsernameNow('ada')).toMatchObject({ username: 'ada', extension: '2001' });
      expect(directory.byUsernameNow('nobody_here')).toBeUndefined();
      await updateUser(database.db, userId, { displayName: 'Ada B.' });
      events.publish({ entity: 'user', id: userId });
      expect(directory.byUsernameNow('ada')).toBeUndefined(); // a reload runs
      await directory.settled();
      expect(directory.byUsernameNow('ada')?.displayName).toBe('Ada B.');
    } finally {
      await updateUser(database.db, userId, { displayName: 'Ada' });
      directory.close();
    }
  });

  it('asks the database once for a user it does not know, and remembers nobody', async () => {
    const counted = countingQueries(database);
    const directory = new Directory({ db: counted.db, events: new EventBus(), refreshMs: 0 });
    try {
      await directory.settled();
      const before = counted.count();
      expect(await directory.byUsername('nobody_here')).toBeNull();
      const afterMiss = counted.count();
      expect(afterMiss).toBe(before + 1);
      for (let i = 0; i < 50; i++) expect(await directory.byUsername('nobody_here')).toBeNull();
      expect(counted.count()).toBe(afterMiss);

      // Written by another process: found on the first lookup, with its memberships.
      const { id } = await createAccount(
        database.db,
        {
          username: 'grace',
          displayName: 'Grace',
          email: null,
          extension: '2002',
          location: null,
          role: 'agent',
          profileId,
          callListPrivacy: 'complete',
        },
        'switchboard.local',
      );
      await addMember(database.db, groupId, id);
      expect((await directory.byExtension('2002'))?.username).toBe('grace');
      expect(await directory.isMember('team', id)).toBe(true);
    } finally {
      directory.close();
    }
  });
});
