import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus';
import type { Database } from '../store/database';
import { deleteSession, deleteUserSessions, insertSession } from '../store/sessions-repository';
import { freshTestDatabase } from '../store/test-database';
import { createAccount } from '../store/user-accounts';
import { SessionCache } from './session-cache';

describe('session cache', () => {
  let database: Database;
  let userId: number;

  beforeAll(async () => {
    database = await freshTestDatabase();
    userId = (
      await createAccount(
        database.db,
        {
          username: 'ada',
          displayName: 'Ada',
          email: null,
          extension: '2001',
          location: null,
          role: 'agent',
          profileId: null,
          callListPrivacy: 'complete',
        },
        'switchboard.local',
      )
    ).id;
  });
  afterAll(() => database.close());

  const session = async (tokenHash: string, expiresInMs = 60_000) =>
    insertSession(database.db, {
      tokenHash,
      userId,
      expiresAt: new Date(Date.now() + expiresInMs),
      userAgent: null,
    });

  it('asks the database when a token is first seen, then answers from memory', async () => {
    await session('a'.repeat(64));
    const cache = new SessionCache({ db: database.db, events: new EventBus() });
    expect((await cache.find('a'.repeat(64)))?.userId).toBe(userId);
    // Gone from the database, still known here until the cache is told or revalidates.
    await deleteSession(database.db, 'a'.repeat(64));
    expect((await cache.find('a'.repeat(64)))?.userId).toBe(userId);
    cache.forget('a'.repeat(64));
    expect(await cache.find('a'.repeat(64))).toBeUndefined();
    cache.close();
  });

  it('forgets a user’s sessions when the user changes (a password reset deletes them)', async () => {
    const events = new EventBus();
    await session('b'.repeat(64));
    const cache = new SessionCache({ db: database.db, events });
    expect(await cache.find('b'.repeat(64))).toBeDefined();
    await deleteUserSessions(database.db, userId);
    events.publish({ entity: 'user', id: userId });
    expect(await cache.find('b'.repeat(64))).toBeUndefined();
    cache.close();
  });

  it('asks again after the revalidation time, and never answers for an expired session', async () => {
    let now = Date.now();
    await session('c'.repeat(64), 5_000);
    const cache = new SessionCache({
      db: database.db,
      events: new EventBus(),
      revalidateMs: 1000,
      now: () => now,
    });
    expect(await cache.find('c'.repeat(64))).toBeDefined();
    expect(await cache.hasLiveSession(userId)).toBe(true);
    await deleteSession(database.db, 'c'.repeat(64));
    now += 1500;
    expect(await cache.find('c'.repeat(64))).toBeUndefined();

    await session('d'.repeat(64), 2_000);
    expect(await cache.find('d'.repeat(64))).toBeDefined();
    now += 3000;
    expect(await cache.find('d'.repeat(64))).toBeUndefined();
    cache.close();
  });
});
