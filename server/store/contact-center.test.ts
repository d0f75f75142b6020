import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreQueueCallLog } from '../contact-center/queue-call-log';
import { createLogger } from '../log';
import {
  agentStateChangesAround,
  insertAgentStateChanges,
  listAgentStateChanges,
} from './agent-state-changes-repository';
import type { Database } from './database';
import { seedIfEmpty } from './demo-seed';
import { addMember, findGroupByName } from './groups-repository';
import {
  answeredCountsSince,
  findAnsweredVisit,
  markWrapUpEnded,
  queueCallsEntered,
} from './queue-calls-repository';
import {
  deleteQueue,
  findQueue,
  insertQueue,
  queueAgents,
  queuesOverflowingTo,
  updateQueue,
} from './queues-repository';
import { freshTestDatabase, testBackends } from './test-database';
import { deleteUser, findUserByUsername } from './users-repository';

// Runs on PGlite, and on Postgres too when TEST_DATABASE_URL is set (CI does both).
describe.each(testBackends())('contact center store on %s', (backend) => {
  let database: Database;
  const id = async (username: string) => (await findUserByUsername(database.db, username))?.id ?? 0;
  const queue = (name: string, extension: string, extra: Partial<Parameters<typeof insertQueue>[1]> = {}) =>
    insertQueue(database.db, {
      name,
      extension,
      members: [],
      strategy: 'longest_idle',
      ringSeconds: 20,
      maxWaitSeconds: 300,
      overflow: { kind: 'refuse', reason: 'Closed' },
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
      dispositions: [],
      ...extra,
    });

  beforeAll(async () => {
    database = await freshTestDatabase(backend);
    await seedIfEmpty(database.db, { demo: true, sipRealm: 'test.local' });
  });
  afterAll(() => database.close());

  it('keeps members by priority, replaces them, expands groups and follows deletions', async () => {
    const { db } = database;
    const floor = await findGroupByName(db, 'floor_1');
    const q = await queue('sales', '7001', {
      members: [
        { kind: 'group', groupId: floor?.id ?? 0, priority: 3 },
        { kind: 'user', userId: await id('operator'), priority: 1 },
      ],
    });
    expect((await findQueue(db, q))?.members).toEqual([
      { kind: 'user', userId: await id('operator'), username: 'operator', priority: 1 },
      { kind: 'group', groupId: floor?.id, name: 'floor_1', priority: 3 },
    ]);
    const agents = await queueAgents(db);
    expect([...(agents.get(q) ?? [])].sort()).toEqual(
      [await id('operator'), await id('agent1'), await id('agent2'), await id('agent3')].sort(),
    );
    await updateQueue(db, q, { members: [{ kind: 'user', userId: await id('agent1'), priority: 1 }] });
    expect((await findQueue(db, q))?.members.map((m) => m.kind === 'user' && m.username)).toEqual(['agent1']);
    await deleteUser(db, await id('agent1'));
    expect((await findQueue(db, q))?.members).toEqual([]);

    const backup = await queue('backup', '7002');
    await updateQueue(db, q, { overflow: { kind: 'queue', queueId: backup } });
    expect(await queuesOverflowingTo(db, backup)).toEqual(['sales']);
    await deleteQueue(db, q);
    expect(await queuesOverflowingTo(db, backup)).toEqual([]);
  });

  it('the call log writes each visit in order: wait, answer, end, wrap-up; a deleted queue keeps its name', async () => {
    const { db } = database;
    const agent = await id('agent2');
    const q = await queue('support', '7003');
    const log = new StoreQueueCallLog({ db, log: createLogger('silent'), publish: () => undefined });
    const t0 = new Date('2026-12-07T09:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    log.queued({ callId: 'c1', queueId: q, queue: 'support', caller: '+4930123', callerName: 'Ann', at: t0 });
    log.offered('c1', agent);
    log.offered('c1', agent);
    log.answered('c1', { userId: agent, username: 'agent2' }, at(7.25));
    log.ended('c1', at(67));
    log.queued({
      callId: 'c2',
      queueId: q,
      queue: 'support',
      caller: '+4930456',
      callerName: null,
      at: at(1),
    });
    log.abandoned('c2', 15_000, at(16));
    log.queued({
      callId: 'c3',
      queueId: q,
      queue: 'support',
      caller: '+4930789',
      callerName: null,
      at: at(2),
    });
    log.overflowed('c3', 'queue backup', undefined, at(302));
    // Nothing happens for a call that never came in.
    log.answered('c9', { userId: agent, username: 'agent2' });
    await log.settled();
    await markWrapUpEnded(db, 'c1', agent, at(80));

    const rows = await queueCallsEntered(db, t0, at(3600));
    expect(rows.map((r) => [r.callId, r.outcome, r.waitMs, r.offers, r.overflowTo])).toEqual([
      ['c1', 'answered', 7250, 2, null],
      ['c2', 'abandoned', 15_000, 0, null],
      ['c3', 'overflowed', 300_000, 0, 'queue backup'],
    ]);
    const c1 = await findAnsweredVisit(db, 'c1', agent);
    expect([c1?.answeredAt, c1?.endedAt, c1?.wrapUpEndedAt]).toEqual([at(7.25), at(67), at(80)]);
    expect((await answeredCountsSince(db, t0)).get(agent)).toBe(1);

    await deleteQueue(db, q);
    const kept = await queueCallsEntered(db, t0, at(3600));
    expect(kept.map((r) => [r.queueId, r.queue])).toEqual([
      [null, 'support'],
      [null, 'support'],
      [null, 'support'],
    ]);
  });

  it('state changes: a page by user, and the window with each user’s state before it', async () => {
    const { db } = database;
    const [a, b] = [await id('agent3'), await id('operator')];
    const t = (h: number) => new Date(Date.UTC(2026, 11, 7, h));
    await insertAgentStateChanges(db, [
      { userId: a, username: 'agent3', from: 'offline', to: 'not_ready', reason: 'Just signed in', at: t(7) },
      { userId: a, username: 'agent3', from: 'not_ready', to: 'available', reason: null, at: t(8) },
      { userId: b, username: 'operator', from: 'offline', to: 'available', reason: null, at: t(6) },
      { userId: a, username: 'agent3', from: 'available', to: 'not_ready', reason: 'Lunch', at: t(12) },
    ]);
    const page = await listAgentStateChanges(db, { userId: a }, { offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.to)).toEqual(['not_ready', 'available']);
    expect((await listAgentStateChanges(db, { userIds: [] }, { offset: 0, limit: 10 })).total).toBe(0);
    const around = await agentStateChangesAround(db, t(9), t(13));
    expect(around.before.map((c) => [c.username, c.to]).sort()).toEqual([
      ['agent3', 'available'],
      ['operator', 'available'],
    ]);
    expect(around.during.map((c) => c.reason)).toEqual(['Lunch']);
  });

  it('a member group gains a member: the queue reaches them', async () => {
    const { db } = database;
    const floor = await findGroupByName(db, 'floor_1');
    const q = await queue('late', '7004', {
      members: [{ kind: 'group', groupId: floor?.id ?? 0, priority: 1 }],
    });
    await addMember(db, floor?.id ?? 0, await id('supervisor'));
    expect((await queueAgents(db)).get(q)?.has(await id('supervisor'))).toBe(true);
  });
});
