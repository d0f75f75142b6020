import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueViolation } from '../http/http-error';
import type { Database } from './database';
import { seedIfEmpty } from './demo-seed';
import { findGroupByName, insertGroup, deleteGroup } from './groups-repository';
import {
  deleteNumber,
  findNumber,
  findNumberByNumber,
  insertNumber,
  listNumbers,
  loadNumberTargets,
  updateNumber,
} from './numbers-repository';
import { phoneNumbers, trunks } from './schema';
import { freshTestDatabase, testBackends } from './test-database';
import {
  deleteTrunk,
  findTrunk,
  findTrunkByName,
  insertTrunk,
  listTrunks,
  updateTrunk,
  type TrunkValues,
} from './trunks-repository';
import { findUserByUsername } from './users-repository';

const carrier = (overrides: Partial<TrunkValues> = {}): TrunkValues => ({
  name: 'carrier_a',
  host: 'sip.carrier.example',
  port: 5060,
  transport: 'udp',
  auth: { kind: 'register', username: 'acct-1', passwordSealed: 'v1.sealed' },
  callerId: '+493012345678',
  numberFormat: { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' },
  prefixes: ['+49', '+43'],
  priority: 100,
  enabled: true,
  ...overrides,
});

/** The Postgres error code behind a failed statement, through Drizzle's wrapping. */
function pgCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    e = candidate.cause;
  }
  return undefined;
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

// Runs on PGlite, and on Postgres too when TEST_DATABASE_URL is set (CI does both).
describe.each(testBackends())('trunks and numbers on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    await seedIfEmpty(database.db, { demo: true, sipRealm: 'test.local' });
  });
  afterAll(() => database.close());

  it('stores a trunk and reads it back in its own shape, in priority order', async () => {
    const { db } = database;
    const a = await insertTrunk(db, carrier());
    const b = await insertTrunk(
      db,
      carrier({
        name: 'backup',
        auth: { kind: 'ip', addresses: ['203.0.113.10', '2001:db8::1'] },
        numberFormat: { kind: 'e164' },
        prefixes: ['+'],
        priority: 10,
        transport: 'tcp',
      }),
    );
    expect(await findTrunk(db, a)).toMatchObject(carrier());
    expect((await findTrunkByName(db, 'backup'))?.auth).toEqual({
      kind: 'ip',
      addresses: ['203.0.113.10', '2001:db8::1'],
    });
    expect((await listTrunks(db)).map((t) => [t.id, t.name])).toEqual([
      [b, 'backup'],
      [a, 'carrier_a'],
    ]);
  });

  it('switching a trunk to ip drops its username and sealed password; a name is unique', async () => {
    const { db } = database;
    const id = await insertTrunk(db, carrier({ name: 'switching' }));
    const before = await findTrunk(db, id);
    await updateTrunk(db, id, { auth: { kind: 'ip', addresses: ['198.51.100.7'] }, port: 5080 });
    const after = await findTrunk(db, id);
    expect(after).toMatchObject({ port: 5080, auth: { kind: 'ip', addresses: ['198.51.100.7'] } });
    expect(after?.updatedAt.getTime()).toBeGreaterThanOrEqual(before?.updatedAt.getTime() ?? 0);
    const raw = await db.select().from(trunks);
    const row = raw.find((r) => r.id === id);
    expect([row?.username, row?.passwordSealed]).toEqual([null, null]);

    expect(uniqueViolation(await failure(insertTrunk(db, carrier({ name: 'switching' }))))).toBeDefined();
    expect(await deleteTrunk(db, id)).toBe(true);
    expect(await deleteTrunk(db, id)).toBe(false);
    expect(await findTrunk(db, id)).toBeUndefined();
  });

  it('assigns numbers to a user or a group, and follows their names', async () => {
    const { db } = database;
    const agent = await findUserByUsername(db, 'agent1');
    const floor = await findGroupByName(db, 'floor_1');
    if (!agent || !floor) throw new Error('seed missing');
    const toUser = await insertNumber(db, {
      number: '+493011111111',
      label: 'Sales',
      assignment: { kind: 'user', userId: agent.id },
    });
    const toGroup = await insertNumber(db, {
      number: '+493022222222',
      label: '',
      assignment: { kind: 'group', groupId: floor.id },
    });
    const nobody = await insertNumber(db, { number: '+493033333333', label: '', assignment: null });

    expect((await findNumber(db, toUser))?.assignment).toEqual({
      kind: 'user',
      userId: agent.id,
      username: 'agent1',
      displayName: agent.displayName,
    });
    expect((await findNumberByNumber(db, '+493022222222'))?.assignment).toEqual({
      kind: 'group',
      groupId: floor.id,
      name: 'floor_1',
    });
    expect((await listNumbers(db)).map((n) => n.id)).toEqual([toUser, toGroup, nobody]);
    expect([...(await loadNumberTargets(db))]).toEqual([
      ['+493011111111', { kind: 'user', userId: agent.id }],
      ['+493022222222', { kind: 'group', groupId: floor.id }],
    ]);

    await updateNumber(db, toUser, { assignment: { kind: 'group', groupId: floor.id } });
    expect((await findNumber(db, toUser))?.assignment).toMatchObject({ kind: 'group', groupId: floor.id });
    await updateNumber(db, toUser, { label: 'Sales line' });
    expect(await findNumber(db, toUser)).toMatchObject({
      label: 'Sales line',
      assignment: { kind: 'group' },
    });
    await updateNumber(db, toUser, { assignment: null });
    expect((await findNumber(db, toUser))?.assignment).toBeNull();
    expect(await deleteNumber(db, toUser)).toBe(true);
    expect(await findNumber(db, toUser)).toBeUndefined();
  });

  it('holds a number once, never both a user and a group, and forgets a deleted group', async () => {
    const { db } = database;
    const agent = await findUserByUsername(db, 'agent2');
    if (!agent) throw new Error('seed missing');
    const groupId = await insertGroup(db, 'night_shift');
    await insertNumber(db, { number: '+441234567890', label: '', assignment: { kind: 'group', groupId } });
    expect(
      uniqueViolation(
        await failure(insertNumber(db, { number: '+441234567890', label: '', assignment: null })),
      ),
    ).toBeDefined();
    const both = db.insert(phoneNumbers).values({ number: '+441234567891', userId: agent.id, groupId });
    expect(pgCode(await failure(both))).toBe('23514');

    await deleteGroup(db, groupId, 'night_shift');
    expect((await findNumberByNumber(db, '+441234567890'))?.assignment).toBeNull();
  });
});
