import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentBoardEntry, AgentStateChangeRecord, MyAgentState } from '../../contracts/agent-states';
import type { AgentReport, QueueCall, QueueReport } from '../../contracts/queue-reports';
import type { Queue, Wallboard } from '../../contracts/queues';
import { startEdgeServer, type EdgeTestServer } from '../sip/edge-test-server';
import { RawSipClient, register } from '../sip/raw-sip-client';
import { ApiClient } from './support/api-client';
import { parseCsv } from './support/csv';
import { expectApiError } from './support/expect-error';
import { uniqueExtension } from './support/fixtures';
import { until as waitUntil } from './support/until';

/**
 * Agent states against the real server and SIP edge: phones register over WebSocket, and the
 * queue engine's side (AgentBoard and QueueCallLog) is driven as the engine calls it.
 */
let server: EdgeTestServer;
const phones: RawSipClient[] = [];
let agent1: ApiClient;
let agent2: ApiClient;
let operator: ApiClient;
let supervisor: ApiClient;
let ids: Record<'agent1' | 'agent2' | 'agent3', number>;
let queue: Queue;

async function signIn(username: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  const response = await client.signIn(username, server.passwords.get(username) ?? '');
  expect(response.status, response.text).toBe(200);
  return client;
}

async function registerPhone(username: string, expires = 600): Promise<RawSipClient> {
  const phone =
    phones.find((p) => p.contactUser === username) ??
    (await RawSipClient.connect(server.wsUrl, { contactUser: username }));
  if (!phones.includes(phone)) phones.push(phone);
  const answer = await register(phone, {
    domain: server.config.sipDomain,
    user: username,
    password: server.passwords.get(username) ?? '',
    expires,
  });
  expect(answer.status).toBe(200);
  return phone;
}

async function myState(client: ApiClient): Promise<MyAgentState> {
  const response = await client.get<MyAgentState>('/api/me/state');
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Waits up to 3 s (not the shared 4 s): these states follow at once. */
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 3000) =>
  waitUntil(read, ok, timeoutMs);

const put = (client: ApiClient, json: unknown) => client.put<MyAgentState>('/api/me/state', { json });
const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);
const later = (at: Date, s: number) => new Date(at.getTime() + s * 1000);

beforeAll(async () => {
  server = await startEdgeServer();
  [agent1, agent2, operator, supervisor] = await Promise.all([
    signIn('agent1'),
    signIn('agent2'),
    signIn('operator'),
    signIn('supervisor'),
  ]);
  const users = await supervisor.get<{ items: { id: number; username: string }[] }>('/api/users?q=agent');
  const idOf = (name: string) => users.body.items.find((u) => u.username === name)?.id ?? 0;
  ids = { agent1: idOf('agent1'), agent2: idOf('agent2'), agent3: idOf('agent3') };
  const groups = await supervisor.get<{ items: { id: number; name: string }[] }>('/api/groups');
  const floor = groups.body.items.find((g) => g.name === 'floor_1')?.id ?? 0;
  expect(
    (await supervisor.post('/api/reason-codes', { json: { code: 'lunch', label: 'Lunch' } })).status,
  ).toBe(201);
  const created = await supervisor.post<Queue>('/api/queues', {
    json: {
      name: 'support',
      extension: uniqueExtension(),
      members: [
        { kind: 'user', userId: ids.agent1 },
        { kind: 'group', groupId: floor, priority: 2 },
      ],
      dispositions: ['sale', 'callback'],
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
    },
  });
  expect(created.status, created.text).toBe(201);
  queue = created.body;
});
afterAll(async () => {
  for (const phone of phones) phone.terminate();
  await server?.stop();
});

describe('agent states', () => {
  it('Offline without a phone (and a click says so); Not ready "Just signed in" once it registers', async () => {
    expect(await myState(agent1)).toMatchObject({ userId: ids.agent1, state: 'offline', wrapUp: null });
    const refused = expectApiError(await put(agent1, { action: 'available' }), 409, 'conflict');
    expect(refused.message).toBe('Your phone is not signed in: open the phone and let it connect first.');
    await registerPhone('agent1');
    const state = await until(
      () => myState(agent1),
      (s) => s.state !== 'offline',
    );
    expect(state).toMatchObject({ state: 'not_ready', reason: 'Just signed in' });
  });

  it('inQueues: true for a member as a user or through a group, false for others, following queue changes', async () => {
    expect((await myState(agent1)).inQueues).toBe(true);
    expect((await myState(agent2)).inQueues).toBe(true);
    expect((await myState(operator)).inQueues).toBe(false);
    const users = await supervisor.get<{ items: { id: number; username: string }[] }>(
      '/api/users?q=operator',
    );
    const operatorId = users.body.items.find((u) => u.username === 'operator')?.id ?? 0;
    const extra = await supervisor.post<Queue>('/api/queues', {
      json: {
        name: 'escalations',
        extension: uniqueExtension(),
        members: [{ kind: 'user', userId: operatorId }],
      },
    });
    expect(extra.status, extra.text).toBe(201);
    expect((await myState(operator)).inQueues).toBe(true);
    expect((await supervisor.delete(`/api/queues/${extra.body.id}`)).status).toBe(204);
    expect((await myState(operator)).inQueues).toBe(false);
  });

  it('one click: Not ready with a reason code, Available; an unknown code is a field error', async () => {
    const unknown = expectApiError(await put(agent1, { action: 'not_ready', reasonCode: 'nap' }), 400);
    expect(unknown.message).toBe('No such reason code: nap.');
    expect(unknown.fields).toEqual({ reasonCode: 'No such reason code: nap' });
    expectApiError(await put(agent1, { action: 'sleep' }), 400, 'validation_failed');
    expect((await put(agent1, { action: 'not_ready', reasonCode: 'lunch' })).body).toMatchObject({
      state: 'not_ready',
      reason: 'Lunch',
    });
    expect((await put(agent1, { action: 'available' })).body).toMatchObject({
      state: 'available',
      reason: null,
    });
    expectApiError(await put(agent1, { action: 'end_wrap_up' }), 409);
  });

  it('a queue call: ringing, on call, wrap-up with the queue dispositions, disposition and note, extend, end', async () => {
    const { agents, callLog } = server.deps.contactCenter;
    const q1 = secondsAgo(60);
    callLog.queued('q-1', queue.id, q1);
    agents.offered(ids.agent1, 'q-1');
    expect(expectApiError(await put(agent1, { action: 'available' }), 409).message).toBe(
      'A queue call is ringing your phone: answer or decline it first.',
    );
    agents.answered(ids.agent1, 'q-1', queue.id);
    callLog.answered('q-1', queue.id, ids.agent1, 12_000, later(q1, 12));
    expect(expectApiError(await put(agent1, { action: 'not_ready', reasonCode: 'lunch' }), 409).message).toBe(
      'You are on a call.',
    );
    const early = expectApiError(
      await agent1.put('/api/calls/q-1/wrap-up', { json: { disposition: 'sale' } }),
      409,
    );
    expect(early.message).toBe(
      'The call is still going on; give its disposition in wrap-up, once it has ended.',
    );
    agents.ended(ids.agent1, 'q-1', queue.wrapUpSeconds);
    const wrapping = await myState(agent1);
    expect(wrapping).toMatchObject({
      state: 'wrap_up',
      wrapUpCallId: 'q-1',
      wrapUp: {
        callId: 'q-1',
        queueId: queue.id,
        queue: 'support',
        dispositions: ['sale', 'callback'],
        disposition: null,
      },
    });
    const endsAt = Date.parse(wrapping.wrapUpEndsAt ?? '');
    expect(endsAt - Date.parse(wrapping.since)).toBe(30_000);

    const wrong = expectApiError(
      await agent1.put('/api/calls/q-1/wrap-up', { json: { disposition: 'refund' } }),
      400,
    );
    expect(wrong.fields).toEqual({
      disposition: 'refund is not a disposition of the queue support: choose one of: sale, callback',
    });
    expect(
      expectApiError(await agent2.put('/api/calls/q-1/wrap-up', { json: { disposition: 'sale' } }), 403)
        .message,
    ).toBe('Only the agent who answered this queue call may give its disposition.');
    expectApiError(
      await agent1.put('/api/calls/nothing-here/wrap-up', { json: { disposition: 'sale' } }),
      404,
    );
    const done = await agent1.put<QueueCall>('/api/calls/q-1/wrap-up', {
      json: { disposition: 'sale', note: 'Wants the blue one' },
    });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({
      callId: 'q-1',
      queue: 'support',
      outcome: 'answered',
      offers: 1,
      agentUsername: 'agent1',
      disposition: 'sale',
      note: 'Wants the blue one',
    });
    expect(done.body.waitSeconds).toBe(12);
    expect((await myState(agent1)).wrapUp).toMatchObject({ disposition: 'sale', note: 'Wants the blue one' });

    const extended = await put(agent1, { action: 'extend_wrap_up' });
    expect(Date.parse(extended.body.wrapUpEndsAt ?? '')).toBe(endsAt + 30_000);
    expect((await put(agent1, { action: 'end_wrap_up' })).body).toMatchObject({
      state: 'available',
      wrapUp: null,
    });
    // Still the agent's to change after wrap-up.
    expect((await agent1.put('/api/calls/q-1/wrap-up', { json: { disposition: 'callback' } })).status).toBe(
      200,
    );
  });

  it('a missed offer makes the agent Not ready "Missed a queue call"', async () => {
    const { agents, callLog } = server.deps.contactCenter;
    const q2 = secondsAgo(60);
    callLog.queued('q-2', queue.id, q2);
    agents.offered(ids.agent1, 'q-2');
    agents.missed(ids.agent1, 'q-2');
    callLog.abandoned('q-2', queue.id, 40_000, later(q2, 40));
    expect(await myState(agent1)).toMatchObject({ state: 'not_ready', reason: 'Missed a queue call' });
    await put(agent1, { action: 'available' });

    // A third call answered after 30 s: outside the 20 s service level.
    const q3 = secondsAgo(60);
    callLog.queued('q-3', queue.id, q3);
    agents.offered(ids.agent1, 'q-3');
    agents.answered(ids.agent1, 'q-3', queue.id);
    callLog.answered('q-3', queue.id, ids.agent1, 30_000, later(q3, 30));
    agents.ended(ids.agent1, 'q-3', 0);
    expect((await myState(agent1)).state).toBe('available');
  });

  it('the wallboard: answered and abandoned today, service level, handle time, agents by state', async () => {
    expectApiError(await agent1.get('/api/queues/wallboard'), 403, 'forbidden');
    const board = await operator.get<Wallboard>('/api/queues/wallboard');
    expect(board.status, board.text).toBe(200);
    const figures = board.body.queues.find((q) => q.queueId === queue.id);
    expect(figures).toMatchObject({
      name: 'support',
      waiting: 0,
      longestWaitSeconds: 0,
      answeredToday: 2,
      abandonedToday: 1,
      serviceLevel: 0.5,
      // agent1 (a member and in floor_1) is available; agent2 and agent3 have no phone.
      agents: { available: 1, notReady: 0, busy: 0, wrapUp: 0, offline: 2 },
    });
    expect(figures?.averageHandleSeconds).toBeGreaterThanOrEqual(0);
  });

  it('agent states now: operators see their barge group, agents none', async () => {
    expectApiError(await agent1.get('/api/agent-states'), 403);
    const list = await operator.get<{ items: AgentBoardEntry[] }>('/api/agent-states');
    expect(list.body.items.map((a) => [a.username, a.state, a.answeredToday])).toEqual([
      ['agent1', 'available', 2],
      ['agent2', 'offline', 0],
      ['agent3', 'offline', 0],
    ]);
    const everyone = await supervisor.get<{ items: AgentBoardEntry[] }>('/api/agent-states');
    expect(everyone.body.items.map((a) => a.username)).toEqual(['agent1', 'agent2', 'agent3']);
  });

  it('the history: every change kept, by user and day, as JSON and CSV; agents see only their own', async () => {
    const history = await supervisor.get<{ items: AgentStateChangeRecord[]; total: number }>(
      `/api/agent-states/history?userId=${ids.agent1}&limit=100`,
    );
    expect(history.status, history.text).toBe(200);
    const path = history.body.items
      .slice()
      .reverse()
      .map((c) => `${c.from}>${c.to}${c.reason ? ` (${c.reason})` : ''}`);
    expect(path).toEqual([
      'offline>not_ready (Just signed in)',
      'not_ready>not_ready (Lunch)',
      'not_ready>available',
      'available>ringing',
      'ringing>on_call',
      'on_call>wrap_up',
      'wrap_up>available',
      'available>ringing',
      'ringing>not_ready (Missed a queue call)',
      'not_ready>available',
      'available>ringing',
      'ringing>on_call',
      'on_call>available',
    ]);
    expect(history.body.items.every((c) => c.username === 'agent1' && c.userId === ids.agent1)).toBe(true);
    // Each change lasts until the next one (newest first: the latest goes on, so no duration yet).
    const [latest, ...earlier] = history.body.items;
    expect(latest?.seconds).toBeNull();
    earlier.forEach((change, i) => {
      const followedAt = Date.parse(history.body.items[i]?.at ?? '');
      // Given to a tenth of a second, rounded half up: off by at most 0.05 (50 ms gives 0.1).
      const exact = (followedAt - Date.parse(change.at)) / 1000;
      expect(Math.abs((change.seconds ?? Number.NaN) - exact)).toBeLessThanOrEqual(0.05 + 1e-9);
    });

    const csv = await supervisor.get(`/api/agent-states/history/export.csv?userId=${ids.agent1}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(['id', 'at', 'user_id', 'username', 'from', 'to', 'reason', 'seconds']);
    expect(rows).toHaveLength(path.length + 1);
    expect(rows[rows.length - 1]?.slice(3, 7)).toEqual(['agent1', 'offline', 'not_ready', 'Just signed in']);
    expect(Number(rows[rows.length - 1]?.[7])).toBe(history.body.items[path.length - 1]?.seconds);
    expect(rows[1]?.[7]).toBe('');

    const own = await agent1.get<{ total: number }>('/api/agent-states/history');
    expect(own.body.total).toBe(path.length);
    expectApiError(await agent2.get(`/api/agent-states/history?userId=${ids.agent1}`), 403);
    expect(
      (await operator.get<{ total: number }>(`/api/agent-states/history?userId=${ids.agent1}`)).body.total,
    ).toBe(path.length);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    expect(
      (await supervisor.get<{ total: number }>(`/api/agent-states/history?date=${day}`)).body.total,
    ).toBe(0);
    const bad = expectApiError(await supervisor.get('/api/agent-states/history?date=2026-02-30'), 400);
    expect(bad.fields).toEqual({ date: 'date is not a day of the calendar' });
  });

  it('reports per queue and per agent for today, as JSON and CSV', async () => {
    const queues = await supervisor.get<QueueReport>('/api/reports/queues');
    expect(queues.status, queues.text).toBe(200);
    const support = queues.body.items.find((r) => r.queueId === queue.id);
    expect(support).toMatchObject({
      queue: 'support',
      offered: 3,
      answered: 2,
      abandoned: 1,
      overflowed: 0,
      serviceLevel: 0.5,
    });
    // Waits of 12, 40 and 30 seconds.
    expect(support?.averageWaitSeconds).toBe(27.3);
    expect(support?.longestWaitSeconds).toBe(40);

    const agents = await supervisor.get<AgentReport>('/api/reports/agents');
    const one = agents.body.items.find((r) => r.userId === ids.agent1);
    expect(one).toMatchObject({ username: 'agent1', offered: 3, answered: 2, missed: 1 });
    expect(Object.keys(one?.secondsInState ?? {}).sort()).toEqual(
      ['available', 'not_ready', 'offline', 'on_call', 'ringing', 'wrap_up'].sort(),
    );
    expect(agents.body.date).toBe(queues.body.date);

    const queueCsv = parseCsv((await supervisor.get('/api/reports/queues/export.csv')).text);
    expect(queueCsv[0]).toEqual([
      'date',
      'queue',
      'offered',
      'answered',
      'abandoned',
      'overflowed',
      'service_level',
      'average_wait_seconds',
      'longest_wait_seconds',
      'average_handle_seconds',
    ]);
    expect(queueCsv.find((r) => r[1] === 'support')?.slice(0, 7)).toEqual([
      queues.body.date,
      'support',
      '3',
      '2',
      '1',
      '0',
      '0.5',
    ]);
    const agentCsv = parseCsv((await supervisor.get('/api/reports/agents/export.csv')).text);
    expect(agentCsv[0]?.slice(0, 6)).toEqual([
      'date',
      'username',
      'offered',
      'answered',
      'missed',
      'average_handle_seconds',
    ]);
    expect(agentCsv.find((r) => r[1] === 'agent1')?.slice(2, 5)).toEqual(['3', '2', '1']);

    expectApiError(await operator.get('/api/reports/queues'), 403);
    expect(expectApiError(await supervisor.get('/api/reports/agents?date=yesterday'), 400).fields).toEqual({
      date: 'date must be a day like 2026-12-06',
    });
  });

  it("the day's queue calls with their dispositions and notes, as JSON and CSV", async () => {
    const all = await supervisor.get<{ items: QueueCall[] }>(`/api/queue-calls?queueId=${queue.id}`);
    expect(all.status, all.text).toBe(200);
    expect(
      all.body.items.map((c) => [c.callId, c.outcome, c.waitSeconds, c.agentUsername, c.disposition]),
    ).toEqual([
      ['q-1', 'answered', 12, 'agent1', 'callback'],
      ['q-2', 'abandoned', 40, null, null],
      ['q-3', 'answered', 30, 'agent1', null],
    ]);
    const rows = parseCsv((await supervisor.get(`/api/queue-calls/export.csv?queueId=${queue.id}`)).text);
    expect(rows[0]).toEqual([
      'call_id',
      'queue',
      'caller',
      'caller_name',
      'entered_at',
      'outcome',
      'wait_seconds',
      'offers',
      'agent',
      'answered_at',
      'ended_at',
      'overflow_to',
      'disposition',
      'note',
    ]);
    // The second PUT replaced the first: a new code, and no note.
    expect(rows[1]?.slice(-2)).toEqual(['callback', '']);
    expect(all.body.items[0]?.note).toBeNull();
    // Below supervisor: only the calls one answered.
    expect(
      (await agent1.get<{ items: QueueCall[] }>('/api/queue-calls')).body.items.map((c) => c.callId),
    ).toEqual(['q-1', 'q-3']);
    expect((await agent2.get<{ items: QueueCall[] }>('/api/queue-calls')).body.items).toEqual([]);
    expectApiError(await agent2.get(`/api/queue-calls?agentId=${ids.agent1}`), 403);
  });

  it('Offline again when the phone un-registers', async () => {
    await registerPhone('agent1', 0);
    expect(
      await until(
        () => myState(agent1),
        (s) => s.state === 'offline',
      ),
    ).toMatchObject({ state: 'offline', reason: null });
  });
});
