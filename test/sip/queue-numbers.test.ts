import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MyAgentState } from '../../contracts/agent-states';
import type { PhoneNumber } from '../../contracts/numbers';
import type { Queue, Wallboard } from '../../contracts/queues';
import { queueCallsEntered } from '../../server/store/queue-calls-repository';
import { until } from '../api/support/until';
import type { ApiClient } from '../api/support/api-client';
import type { EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import { callerDialog, carrierCalls, phoneAnswers, sendCancel, sendInDialog } from './support/call-steps';
import { signInAll } from './support/signed-in';
import { isInvite } from './support/sip-text';
import {
  addTrunk,
  recordsOf,
  rtpengineInstalled,
  startTrunkEdge,
  trunkCaseOver,
  trunksRouted,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled(
  "Skipped: queued trunk calls need rtpengine (Debian's rtpengine-daemon).",
);

const QUEUE_NUMBER = '+4930777200';
const CUSTOMER = '+4917612345';

/**
 * A carrier's call to a number assigned to a queue, on the running server with rtpengine: the
 * customer waits in the queue (180 from the edge), the Available agent's phone is rung through
 * the bridge, the answer becomes the bridged call; a customer who hangs up while waiting is
 * abandoned. No rtpengine call is left after any case.
 */
describe.skipIf(!installed)('numbers that ring a queue (raw SIP, rtpengine)', () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let queue: Queue;
  const phones: RawSipClient[] = [];
  const { online } = rawDialogs(() => server, phones);
  const api = new Map<string, ApiClient>();
  const client = (user: string) => api.get(user) as ApiClient;
  const stateOf = async (user: string) => (await client(user).get<MyAgentState>('/api/me/state')).body;
  const figures = async () =>
    (await client('operator').get<Wallboard>('/api/queues/wallboard')).body.queues.find(
      (q) => q.queueId === queue.id,
    );

  /** The customer hears ringing: the edge's 180 (after its 100). */
  const ringing = (callId: string) =>
    carrier.next(
      (m) => m.kind === 'response' && m.status === 180 && m.headers.get('call-id') === callId,
      5000,
    );

  /** The customer's INVITE from the carrier to the queue's number. */
  const customerCalls = () => carrierCalls(carrier, server, QUEUE_NUMBER, { customer: CUSTOMER });

  beforeAll(async () => {
    server = await startTrunkEdge();
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await addTrunk(server, { name: 'Carrier A', port: carrier.port });
    server.deps.events.publish({ entity: 'trunk', id: null });
    await signInAll(server, api, ['agent1', 'agent2', 'admin', 'operator']);
    const users = await client('admin').get<{ items: { id: number; username: string }[] }>(
      '/api/users?q=agent',
    );
    const idOf = (name: string) => users.body.items.find((u) => u.username === name)?.id ?? 0;
    const created = await client('admin').post<Queue>('/api/queues', {
      json: {
        name: 'hotline',
        extension: '5950',
        members: [
          { kind: 'user', userId: idOf('agent1') },
          { kind: 'user', userId: idOf('agent2') },
        ],
        ringSeconds: 5,
        wrapUpSeconds: 60,
        dispositions: ['solved'],
      },
    });
    expect(created.status, created.text).toBe(201);
    queue = created.body;
    const number = await client('admin').post<PhoneNumber>('/api/numbers', {
      json: { number: QUEUE_NUMBER, assignment: { kind: 'queue', queueId: queue.id } },
    });
    expect(number.status, number.text).toBe(201);
    const reason = await client('admin').post('/api/reason-codes', {
      json: { code: 'break', label: 'Break' },
    });
    expect(reason.status, reason.text).toBe(201);
    await server.deps.contactCenter.source.settled();
    await trunksRouted(server, 1);
  });

  afterEach(async () => {
    // No rtpengine call is left behind (the phones stay signed in for the next case).
    await trunkCaseOver(server, []);
  });

  afterAll(async () => {
    for (const phone of phones) phone.terminate();
    await server?.stop();
    carrier?.close();
  });

  it('the customer waits with ringing and reaches the Available agent, not the Not ready one; BYE leads to wrap-up', async () => {
    const [a1, a2] = [await online('agent1'), await online('agent2')];
    await until(
      () => stateOf('agent1'),
      (s) => s.state === 'not_ready',
    );
    expect((await client('agent2').put('/api/me/state', { json: { action: 'available' } })).status).toBe(200);

    const call = customerCalls();
    await ringing(call.callId);
    const invite = await a2.request('INVITE');
    expect(invite.headers.get('from')).toContain(`"${CUSTOMER}"`);
    expect(String(invite.body)).toContain('UDP/TLS/RTP/SAVPF');
    expect(await a1.nothing(isInvite, 300)).toBe(true);
    expect((await stateOf('agent2')).state).toBe('ringing');
    expect(await figures()).toMatchObject({ waiting: 1, agents: { notReady: 1, busy: 1 } });

    phoneAnswers(a2, invite);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toContain('RTP/AVP');
    expect((await a2.request('ACK')).headers.get('call-id')).toBe(invite.headers.get('call-id'));
    const customerSide = callerDialog(call, ok);
    sendInDialog(carrier, customerSide, 'ACK', 1);
    expect((await stateOf('agent2')).state).toBe('on_call');
    expect(server.edge.control.liveDialogs()[0]?.callee.username).toBe('agent2');

    sendInDialog(carrier, customerSide, 'BYE', 2);
    const bye = await a2.request('BYE');
    expect(bye.headers.get('cseq')).toBe(`${Number.parseInt(invite.headers.get('cseq') ?? '1', 10) + 1} BYE`);
    a2.answer(bye, 200, 'OK');
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const wrapping = await until(
      () => stateOf('agent2'),
      (s) => s.state === 'wrap_up',
    );
    expect(wrapping.wrapUp).toMatchObject({
      callId: call.callId,
      queue: 'hotline',
      dispositions: ['solved'],
    });
    const disposed = await client('agent2').put(`/api/calls/${encodeURIComponent(call.callId)}/wrap-up`, {
      json: { disposition: 'solved', note: '' },
    });
    expect(disposed.status, disposed.text).toBe(200);

    await server.deps.contactCenter.settled();
    const [row] = (
      await queueCallsEntered(server.db, new Date(Date.now() - 60_000), new Date(Date.now() + 1000))
    ).filter((r) => r.callId === call.callId);
    expect(row).toMatchObject({
      queue: 'hotline',
      outcome: 'answered',
      offers: 1,
      agentUsername: 'agent2',
      caller: CUSTOMER,
      disposition: 'solved',
    });
    const [record] = await recordsOf(server, call.callId);
    expect(record).toMatchObject({ direction: 'inbound', toName: 'Queue hotline', disposition: 'answered' });
    expect((await client('agent2').put('/api/me/state', { json: { action: 'end_wrap_up' } })).status).toBe(
      200,
    );
  });

  it('an agent who declines is Not ready and the call goes to the next one, as a new INVITE (CSeq 2)', async () => {
    const [a1, a2] = phones as [RawSipClient, RawSipClient];
    for (const user of ['agent1', 'agent2'])
      expect((await client(user).put('/api/me/state', { json: { action: 'available' } })).status).toBe(200);
    const call = customerCalls();
    await ringing(call.callId);
    // Whoever has been idle longest is rung first.
    const ringingUser = await until(
      async () =>
        (await stateOf('agent1')).state === 'ringing' ? 'agent1' : (await stateOf('agent2')).state,
      (value) => value === 'agent1' || value === 'ringing',
    );
    const first =
      ringingUser === 'agent1'
        ? { phone: a1, other: a2, user: 'agent1', invite: await a1.request('INVITE') }
        : { phone: a2, other: a1, user: 'agent2', invite: await a2.request('INVITE') };
    expect(first.invite.headers.get('cseq')).toBe('1 INVITE');
    first.phone.answer(first.invite, 486, 'Busy Here', { toTag: newTag() });
    await first.phone.request('ACK');
    const second = await first.other.request('INVITE');
    expect(second.headers.get('call-id')).toBe(first.invite.headers.get('call-id'));
    expect(second.headers.get('cseq')).toBe('2 INVITE');
    expect(await stateOf(first.user)).toMatchObject({ state: 'not_ready', reason: 'Missed a queue call' });

    phoneAnswers(first.other, second, false);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect((await first.other.request('ACK')).headers.get('cseq')).toBe('2 ACK');
    const customerSide = callerDialog(call, ok);
    sendInDialog(carrier, customerSide, 'ACK', 1);
    sendInDialog(carrier, customerSide, 'BYE', 2);
    const bye = await first.other.request('BYE');
    expect(bye.headers.get('cseq')).toBe('3 BYE');
    first.other.answer(bye, 200, 'OK');
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const other = first.user === 'agent1' ? 'agent2' : 'agent1';
    await until(
      () => stateOf(other),
      (s) => s.state === 'wrap_up',
    );
    expect((await client(other).put('/api/me/state', { json: { action: 'end_wrap_up' } })).status).toBe(200);
  });

  it('a customer who hangs up while nobody is Available is recorded abandoned with the time waited', async () => {
    for (const user of ['agent1', 'agent2'])
      expect(
        (await client(user).put('/api/me/state', { json: { action: 'not_ready', reasonCode: 'break' } }))
          .status,
        `${user} steps away`,
      ).toBe(200);
    const before = (await figures())?.abandonedToday ?? 0;
    const call = customerCalls();
    await ringing(call.callId);
    await until(figures, (q) => q?.waiting === 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sendCancel(carrier, call);
    expect((await carrier.response(call.callId, 'CANCEL')).status).toBe(200);
    expect((await carrier.response(call.callId, 'INVITE')).status).toBe(487);
    const after = await until(figures, (q) => q?.abandonedToday === before + 1);
    expect(after).toMatchObject({ waiting: 0, answeredToday: 2 });

    await server.deps.contactCenter.settled();
    const [row] = (
      await queueCallsEntered(server.db, new Date(Date.now() - 60_000), new Date(Date.now() + 1000))
    ).filter((r) => r.callId === call.callId);
    expect(row).toMatchObject({ outcome: 'abandoned', offers: 0, caller: CUSTOMER });
    expect(row?.waitMs).toBeGreaterThanOrEqual(1000);
  });
});
