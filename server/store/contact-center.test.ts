import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreQueueCallLog } from '../contact-center/queue-call-log';
import { StoreQueueSource } from '../contact-center/queue-source';
import { EventBus } from '../events/event-bus';
import { createLogger } from '../log';
import {
  agentStateChangesAround,
  insertAgentStateChanges,
  listAgentStateChanges,
} from './agent-state-changes-repository';
import { insertCall } from './calls-repository';
import type { Database } from './database';
import { seedIfEmpty } from './demo-seed';
import { addMember, findGroupByName } from './groups-repository';
import { answeredCountsSince, findAnsweredVisit, queueCallsEntered } from './queue-calls-repository';
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
    const record = (callId: string, number: string, name: string | null) =>
      insertCall(db, {
        callId,
        fromUri: `sip:${number}@carrier.example`,
        fromName: name,
        fromUserId: null,
        toUri: 'sip:7003@test.local',
        toName: null,
        toUserId: null,
        callerProfileId: null,
        callerProfile: null,
        calleeProfileId: null,
        calleeProfile: null,
        direction: 'inbound',
        number,
      });
    const backup = await queue('overflow_target', '7005');
    // c1's call record is there before it is queued; c2's only after (filled in later).
    await record('c1', '+4930123', 'Ann');
    log.queued('c1', q, t0);
    log.moved({ kind: 'offered', userId: agent, callId: 'c1', at: at(1) });
    log.moved({ kind: 'offered', userId: agent, callId: 'c1', at: at(3) });
    log.answered('c1', q, agent, 7250, at(7.25));
    log.moved({ kind: 'ended', userId: agent, callId: 'c1', at: at(67) });
    log.queued('c2', q, at(1));
    await log.settled();
    await record('c2', '+4930456', null);
    log.abandoned('c2', q, 15_000, at(16));
    log.queued('c3', q, at(2));
    log.overflowed('c3', q, 300_000, { kind: 'queue', queueId: backup }, at(302));
    log.queued('c3', backup, at(302));
    log.abandoned('c3', backup, 310_000, at(310));
    // Nothing happens for a call that never came in.
    log.answered('c9', q, agent, 1000);
    await log.settled();
    log.moved({ kind: 'wrap_up_ended', userId: agent, callId: 'c1', at: at(80) });
    await log.settled();

    const rows = await queueCallsEntered(db, t0, at(3600));
    expect(
      rows.map((r) => [
        r.callId,
        r.queue,
        r.outcome,
        r.waitMs,
        r.offers,
        r.overflowTo,
        r.caller,
        r.callerName,
      ]),
    ).toEqual([
      ['c1', 'support', 'answered', 7250, 2, null, '+4930123', 'Ann'],
      ['c2', 'support', 'abandoned', 15_000, 0, null, '+4930456', null],
      ['c3', 'support', 'overflowed', 300_000, 0, 'queue overflow_target', '', null],
      ['c3', 'overflow_target', 'abandoned', 8_000, 0, null, '', null],
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
      [backup, 'overflow_target'],
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

  it('the queue source: queues in memory with members expanded, best priority each, reloaded on events', async () => {
    const { db } = database;
    const events = new EventBus();
    const source = new StoreQueueSource({ db, events, log: createLogger('silent') });
    const floor = await findGroupByName(db, 'floor_1');
    const q = await queue('late', '7004', {
      members: [
        { kind: 'group', groupId: floor?.id ?? 0, priority: 2 },
        { kind: 'user', userId: await id('agent3'), priority: 1 },
      ],
    });
    events.publish({ entity: 'queue', id: q });
    await source.settled();
    expect(source.byExtension('7004')?.agents).toEqual([
      { userId: await id('agent3'), priority: 1 },
      { userId: await id('agent2'), priority: 2 },
    ]);
    await addMember(db, floor?.id ?? 0, await id('supervisor'));
    events.publish({ entity: 'group', id: floor?.id ?? 0 });
    await source.settled();
    expect(source.byId(q)?.agents.map((a) => a.userId)).toContain(await id('supervisor'));
    expect((await queueAgents(db)).get(q)?.has(await id('supervisor'))).toBe(true);
    source.close();
  });
});
