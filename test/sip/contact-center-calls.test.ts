import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyAgentState } from '../../contracts/agent-states';
import type { QueueReport } from '../../contracts/queue-reports';
import type { Queue, Wallboard } from '../../contracts/queues';
import type { SipRequest } from '../../server/sip/message/sip-message';
import { queueCallsEntered } from '../../server/store/queue-calls-repository';
import type { ApiClient } from '../api/support/api-client';
import { until } from '../api/support/until';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs, sdp } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import { dialQueue, type QueueCall } from './support/queue-steps';
import { signInAll } from './support/signed-in';
import { isInvite } from './support/sip-text';

/**
 * The whole server as it runs: queues made through the API, agents' phones registered over
 * WebSocket and their states set with one click, the edge's queue engine moving the stored
 * agent states and writing the queue calls the wallboard and the reports read.
 */
let server: EdgeTestServer;
const phones: RawSipClient[] = [];
const api = new Map<string, ApiClient>();
let queue: Queue;

const { domain, online } = rawDialogs(() => server, phones);

const client = (user: string) => api.get(user) as ApiClient;
const stateOf = async (user: string) => (await client(user).get<MyAgentState>('/api/me/state')).body;

type Call = QueueCall;

/** The caller dials the queue and hears ringing (180) while it waits. */
const dial = (caller: RawSipClient, user: string, extension: string) =>
  dialQueue(caller, domain(), user, extension);

const inDialog = (call: Call, method: string, cseq: number) => ({
  method,
  uri: call.target,
  from: call.from,
  to: call.to,
  callId: call.callId,
  cseq,
  headers: [['Route', `<sip:${domain()};transport=ws;lr>`]] as [string, string][],
});

beforeAll(async () => {
  server = await startEdgeServer();
  await signInAll(server, api, ['agent1', 'agent2', 'supervisor', 'operator']);
  const users = await client('supervisor').get<{ items: { id: number; username: string }[] }>(
    '/api/users?q=agent',
  );
  const idOf = (name: string) => users.body.items.find((u) => u.username === name)?.id ?? 0;
  const created = await client('supervisor').post<Queue>('/api/queues', {
    json: {
      name: 'helpdesk',
      extension: '5900',
      members: [
        { kind: 'user', userId: idOf('agent1') },
        { kind: 'user', userId: idOf('agent2') },
      ],
      ringSeconds: 5,
      wrapUpSeconds: 60,
      serviceLevelSeconds: 20,
      dispositions: ['solved', 'escalated'],
    },
  });
  expect(created.status, created.text).toBe(201);
  queue = created.body;
  await server.deps.contactCenter.source.settled();
});
afterAll(async () => {
  for (const phone of phones) phone.terminate();
  await server?.stop();
});

describe('the contact center on the running server', () => {
  it('a queue call reaches the Available agent, skips the Not ready one, and ends in wrap-up with a disposition', async () => {
    const [a1, a2] = [await online('agent1'), await online('agent2')];
    const caller = await online('supervisor');
    await until(
      () => stateOf('agent1'),
      (s) => s.state === 'not_ready',
    );
    // agent1 stays Not ready ("Just signed in"); agent2 clicks Available.
    expect((await client('agent2').put('/api/me/state', { json: { action: 'available' } })).status).toBe(200);

    const call = await dial(caller, 'supervisor', '5900');
    expect(call.ringing.status).toBe(180);
    const invite = (await a2.request('INVITE')) as SipRequest;
    expect(invite.headers.get('call-id')).toBe(call.callId);
    expect(await a1.nothing(isInvite, 300)).toBe(true);
    expect((await stateOf('agent2')).state).toBe('ringing');
    const board = await client('operator').get<Wallboard>('/api/queues/wallboard');
    expect(board.body.queues.find((q) => q.queueId === queue.id)).toMatchObject({
      waiting: 1,
      agents: { available: 0, notReady: 1, busy: 1, wrapUp: 0, offline: 0 },
    });

    const toTag = newTag();
    a2.answer(invite, 180, 'Ringing', { toTag });
    a2.answer(invite, 200, 'OK', {
      toTag,
      headers: [
        ['Contact', a2.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    const ok = await caller.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    call.to = ok.headers.get('to') ?? '';
    call.target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    caller.send(inDialog(call, 'ACK', 1));
    await a2.request('ACK');
    expect((await stateOf('agent2')).state).toBe('on_call');
    const busy = await client('agent2').put<{ error: { message: string } }>('/api/me/state', {
      json: { action: 'available' },
    });
    expect([busy.status, busy.body.error.message]).toEqual([409, 'You are on a call.']);

    caller.send(inDialog(call, 'BYE', 2));
    const bye = await a2.request('BYE');
    a2.answer(bye, 200, 'OK');
    expect((await caller.response(call.callId, 'BYE')).status).toBe(200);

    const wrapping = await until(
      () => stateOf('agent2'),
      (s) => s.state === 'wrap_up',
    );
    expect(wrapping.wrapUp).toMatchObject({
      callId: call.callId,
      queue: 'helpdesk',
      dispositions: ['solved', 'escalated'],
    });
    const disposed = await client('agent2').put(`/api/calls/${encodeURIComponent(call.callId)}/wrap-up`, {
      json: { disposition: 'solved', note: 'Reset the password' },
    });
    expect(disposed.status, disposed.text).toBe(200);
    expect(
      (await client('agent2').put('/api/me/state', { json: { action: 'end_wrap_up' } })).body,
    ).toMatchObject({
      state: 'available',
    });

    await server.deps.contactCenter.settled();
    const [row] = (
      await queueCallsEntered(server.db, new Date(Date.now() - 60_000), new Date(Date.now() + 1000))
    ).filter((r) => r.callId === call.callId);
    expect(row).toMatchObject({
      queue: 'helpdesk',
      outcome: 'answered',
      offers: 1,
      agentUsername: 'agent2',
      caller: expect.stringContaining('supervisor'),
    });
    expect(row?.endedAt).not.toBeNull();
    expect(row?.wrapUpEndedAt).not.toBeNull();
    expect(row?.disposition).toBe('solved');
  });

  it('a caller who hangs up while waiting is abandoned; the wallboard and the report count both calls', async () => {
    // agent2 goes to lunch: nobody is Available, the caller waits, then gives up.
    await client('supervisor').post('/api/reason-codes', { json: { code: 'lunch', label: 'Lunch' } });
    expect(
      (await client('agent2').put('/api/me/state', { json: { action: 'not_ready', reasonCode: 'lunch' } }))
        .status,
    ).toBe(200);
    const caller = phones[2] as RawSipClient;
    const call = await dial(caller, 'supervisor', '5900');
    expect(call.ringing.status).toBe(180);
    await until(
      () => client('operator').get<Wallboard>('/api/queues/wallboard'),
      (r) => r.body.queues.find((q) => q.queueId === queue.id)?.waiting === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    caller.send({
      method: 'CANCEL',
      uri: `sip:5900@${domain()}`,
      from: call.from,
      to: call.to,
      callId: call.callId,
      cseq: 1,
      branch: call.branch,
    });
    expect((await caller.response(call.callId, 'INVITE')).status).toBe(487);

    const board = await until(
      () => client('operator').get<Wallboard>('/api/queues/wallboard'),
      (r) => r.body.queues.find((q) => q.queueId === queue.id)?.abandonedToday === 1,
    );
    expect(board.body.queues.find((q) => q.queueId === queue.id)).toMatchObject({
      waiting: 0,
      answeredToday: 1,
      abandonedToday: 1,
      serviceLevel: 1,
    });
    const report = await client('supervisor').get<QueueReport>('/api/reports/queues');
    const helpdesk = report.body.items.find((r) => r.queueId === queue.id);
    expect(helpdesk).toMatchObject({ offered: 2, answered: 1, abandoned: 1 });
    expect(helpdesk?.longestWaitSeconds).toBeGreaterThanOrEqual(1.1);
  });
});
