import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox, trunkSecretBox } from '../auth/secret-box';
import { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { Database } from '../store/database';
import { insertGroup } from '../store/groups-repository';
import { insertNumber, updateNumber } from '../store/numbers-repository';
import { users } from '../store/schema';
import { freshTestDatabase } from '../store/test-database';
import { insertTrunk } from '../store/trunks-repository';
import { createAccount } from '../store/user-accounts';
import { NumberDirectory } from './number-directory';
import { storeTrunkSource } from './trunk-source';

const recordingLog = () => {
  const warnings: string[] = [];
  const log: Logger = {
    error: () => undefined,
    warn: (message) => void warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
  };
  return { log, warnings };
};

describe('numbers and trunks for the edge', () => {
  let database: Database;
  let userId: number;
  let groupId: number;

  beforeAll(async () => {
    database = await freshTestDatabase();
    groupId = await insertGroup(database.db, 'sales');
    ({ id: userId } = await createAccount(
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
      'test.local',
    ));
  });
  afterAll(() => database.close());

  it('NumberDirectory answers from memory and reloads on number, user and group events', async () => {
    const { db } = database;
    const events = new EventBus();
    await insertNumber(db, { number: '+493011111111', label: '', assignment: { kind: 'user', userId } });
    const numbers = new NumberDirectory({ db, events, refreshMs: 0 });
    try {
      expect(await numbers.assignmentOf('+493011111111')).toEqual({ kind: 'user', userId });
      expect(await numbers.assignmentOf('+493099999999')).toBeNull();

      const id = await insertNumber(db, {
        number: '+493022222222',
        label: '',
        assignment: { kind: 'group', groupId },
      });
      // Not heard of yet: the copy is what was loaded.
      expect(await numbers.assignmentOf('+493022222222')).toBeNull();
      events.publish({ entity: 'number', id });
      expect(await numbers.assignmentOf('+493022222222')).toEqual({ kind: 'group', groupId });

      await updateNumber(db, id, { assignment: null });
      events.publish({ entity: 'number', id });
      expect(await numbers.assignmentOf('+493022222222')).toBeNull();
      expect(numbers.size).toBe(1);

      // Deleting the user empties its numbers in the database; the user event reloads them.
      await db.delete(users).where(eq(users.id, userId));
      events.publish({ entity: 'user', id: userId });
      expect(await numbers.assignmentOf('+493011111111')).toBeNull();
    } finally {
      numbers.close();
    }
  });

  it('storeTrunkSource opens passwords, and leaves out a trunk whose password cannot be opened', async () => {
    const { db } = database;
    const box = trunkSecretBox(db);
    const common = {
      host: 'sip.carrier.example',
      port: 5060,
      transport: 'udp' as const,
      callerId: '+493012345678',
      numberFormat: { kind: 'e164' as const },
      prefixes: ['+'],
      enabled: true,
    };
    const registering = await insertTrunk(db, {
      ...common,
      name: 'registering',
      priority: 1,
      auth: { kind: 'register', username: 'acct', passwordSealed: await box.seal('s3cret') },
    });
    const byAddress = await insertTrunk(db, {
      ...common,
      name: 'by_address',
      priority: 2,
      auth: { kind: 'ip', addresses: ['203.0.113.10'] },
    });
    await insertTrunk(db, {
      ...common,
      name: 'other_key',
      priority: 3,
      auth: {
        kind: 'register',
        username: 'acct',
        passwordSealed: await new SecretBox(db, 'another-use').seal('x'),
      },
    });

    const { log, warnings } = recordingLog();
    const loaded = await storeTrunkSource(db, trunkSecretBox(db), log).load();
    expect(loaded).toEqual([
      {
        ...common,
        id: registering,
        name: 'registering',
        priority: 1,
        auth: { kind: 'register', username: 'acct', password: 's3cret' },
      },
      {
        ...common,
        id: byAddress,
        name: 'by_address',
        priority: 2,
        auth: { kind: 'ip', addresses: ['203.0.113.10'] },
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Trunk other_key is left out: A stored password cannot be opened/);
  });
});
