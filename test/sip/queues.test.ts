import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { rawDialogs, sdp } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import { dialQueue, type QueueCall } from './support/queue-steps';
import { startQueueServer, type QueueTestServer } from './queue-support';
import { hangUp as byeFrom, SessionState, sessionState, TestPhone } from './sipjs-phone';

let server: QueueTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startQueueServer({ sipGraceMs: 300 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  const started = Date.now();
  while (server.edge.dialogs().length > 0 && Date.now() - started < 4000)
    await new Promise((r) => setTimeout(r, 20));
  for (const userId of server.userIds.values())
    server.board.set(userId, 'not_ready', { reason: 'Test over' });
});
afterAll(async () => {
  await server.stop();
});

const { domain, online } = rawDialogs(() => server, clients);
const idOf = (username: string) => server.userIds.get(username) ?? 0;
const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);
const isInvite = (m: SipMessage) => m.kind === 'request' && m.method === 'INVITE';

type Call = QueueCall;

/** The caller dials the queue and hears ringing (180) while it waits. */
const dial = (caller: RawSipClient, user: string, extension: string) =>
  dialQueue(caller, domain(), user, extension);

/** The agent's phone rings (180) and then answers (200). */
function pickUp(agent: RawSipClient, invite: SipRequest): void {
  const toTag = newTag();
  agent.answer(invite, 180, 'Ringing', { toTag });
  agent.answer(invite, 200, 'OK', {
    toTag,
    headers: [
      ['Contact', agent.contact],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  });
}

/** The caller's 200 arrived: ACK it. */
async function connected(call: Call): Promise<SipResponse> {
  const ok = await call.caller.response(call.callId, 'INVITE');
  expect(ok.status).toBe(200);
  call.to = ok.headers.get('to') ?? '';
  call.target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
  call.caller.send({ ...inDialog(call, 'ACK'), cseq: 1 });
  return ok;
}

function inDialog(call: Call, method: string) {
  return {
    method,
    uri: call.target,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq: call.cseq,
    headers: [['Route', `<sip:${domain()};transport=ws;lr>`]] as [string, string][],
  };
}

/** The caller hangs up an answered call; the agent's phone says OK to the BYE. */
async function hangUp(call: Call, agent: RawSipClient): Promise<void> {
  call.cseq++;
  call.caller.send(inDialog(call, 'BYE'));
  const bye = await agent.request('BYE');
  agent.answer(bye, 200, 'OK');
  expect((await call.caller.response(call.callId, 'BYE')).status).toBe(200);
}

/** The caller hangs up while waiting: CANCEL on the INVITE's branch. */
function cancel(call: Call): void {
  call.caller.send({
    method: 'CANCEL',
    uri: `sip:${/sip:([^@]+)@/.exec(call.to)?.[1] ?? ''}@${domain()}`,
    from: call.from,
    to: call.to,
    callId: call.callId,
    cseq: 1,
    branch: call.branch,
  });
}

/** A ringing phone gets the edge's CANCEL and says 200 to it and 487 to the INVITE. */
async function cancelled(agent: RawSipClient, invite: SipRequest): Promise<void> {
  const request = await agent.next(
    (m) =>
      m.kind === 'request' &&
      m.method === 'CANCEL' &&
      m.headers.get('call-id') === invite.headers.get('call-id'),
  );
  agent.answer(request as SipRequest, 200, 'OK');
  agent.answer(invite, 487, 'Request Terminated', { toTag: newTag() });
}

const agentsOf = (...users: string[]) => users.map((u) => ({ userId: idOf(u), priority: 1 }));

describe('a call to a queue', () => {
  it('rings the longest-idle Available agent, skips Not ready ones, and hands the caller over', async () => {
    const [a1, a2, a3] = await Promise.all(['agent1', 'agent2', 'agent3'].map((user) => online(user)));
    const caller = await online('supervisor');
    const queue = server.queues.add({ extension: '5001', agents: agentsOf('agent1', 'agent2', 'agent3') });
    server.board.set(idOf('agent1'), 'not_ready', { reason: 'Lunch' });
    server.board.set(idOf('agent2'), 'available', { idleSince: secondsAgo(60) });
    server.board.set(idOf('agent3'), 'available', { idleSince: secondsAgo(5) });

    const call = await dial(caller, 'supervisor', '5001');
    expect(call.ringing.status).toBe(180);
    expect(call.ringing.headers.get('to')).toMatch(/;tag=/);
    const invite = await (a2 as RawSipClient).request('INVITE');
    expect(invite.headers.get('call-id')).toBe(call.callId);
    expect(server.board.stateOf(idOf('agent2')).state).toBe('ringing');
    expect(server.edge.queues?.waiting(queue.id).count).toBe(1);
    expect(await (a1 as RawSipClient).nothing(isInvite, 300)).toBe(true);
    expect(await (a3 as RawSipClient).nothing(isInvite, 0)).toBe(true);

    pickUp(a2 as RawSipClient, invite);
    const ok = await connected(call);
    expect(ok.headers.get('p-asserted-identity') ?? '').toContain('sip:1002@');
    await (a2 as RawSipClient).request('ACK');
    expect(server.board.stateOf(idOf('agent2')).state).toBe('on_call');
    expect(server.edge.queues?.waiting(queue.id)).toEqual({ count: 0, longestWaitSeconds: 0 });
    const [queued, answered] = server.log.of(call.callId);
    expect(queued).toEqual({ kind: 'queued', callId: call.callId, queueId: queue.id });
    expect(answered).toMatchObject({ kind: 'answered', queueId: queue.id, userId: idOf('agent2') });
    expect(answered?.kind === 'answered' && answered.waitMs).toBeGreaterThanOrEqual(0);

    await hangUp(call, a2 as RawSipClient);
    // Wrap-up of 0 s: Available again at once.
    expect(server.board.historyOf(idOf('agent2')).slice(-4)).toEqual([
      'available',
      'ringing',
      'on_call',
      'available',
    ]);
  });

  it('moves on when an agent lets it ring out, and marks that agent Not ready', async () => {
    const [a1, a2] = await Promise.all(['agent1', 'agent2'].map((user) => online(user)));
    const caller = await online('supervisor');
    server.queues.add({ extension: '5002', agents: agentsOf('agent1', 'agent2'), ringSeconds: 1 });
    server.board.set(idOf('agent1'), 'available', { idleSince: secondsAgo(60) });
    server.board.set(idOf('agent2'), 'available', { idleSince: secondsAgo(30) });

    const call = await dial(caller, 'supervisor', '5002');
    const first = await (a1 as RawSipClient).request('INVITE');
    const rangAt = Date.now();
    (a1 as RawSipClient).answer(first, 180, 'Ringing', { toTag: newTag() });
    await cancelled(a1 as RawSipClient, first);
    const second = await (a2 as RawSipClient).request('INVITE');
    expect(Date.now() - rangAt).toBeGreaterThanOrEqual(900);
    expect(server.board.stateOf(idOf('agent1'))).toMatchObject({
      state: 'not_ready',
      reason: 'Missed a queue call',
    });

    pickUp(a2 as RawSipClient, second);
    await connected(call);
    expect(server.log.of(call.callId).map((e) => e.kind)).toEqual(['queued', 'answered']);
  });

  it('a declined offer goes to the next agent at once', async () => {
    const [a1, a2] = await Promise.all(['agent1', 'agent2'].map((user) => online(user)));
    const caller = await online('supervisor');
    server.queues.add({ extension: '5008', agents: agentsOf('agent1', 'agent2'), ringSeconds: 5 });
    server.board.set(idOf('agent1'), 'available', { idleSince: secondsAgo(60) });
    server.board.set(idOf('agent2'), 'available', { idleSince: secondsAgo(30) });

    await dial(caller, 'supervisor', '5008');
    const first = await (a1 as RawSipClient).request('INVITE');
    (a1 as RawSipClient).answer(first, 603, 'Decline', { toTag: newTag() });
    await (a2 as RawSipClient).request('INVITE', 1000);
    expect(server.board.stateOf(idOf('agent1')).reason).toBe('Missed a queue call');
  });

  it('an agent in wrap-up is offered the next call only when it ends', async () => {
    const [a1] = await Promise.all(['agent1'].map((user) => online(user)));
    const first = await online('supervisor');
    const second = await online('operator');
    server.queues.add({ extension: '5003', agents: agentsOf('agent1'), wrapUpSeconds: 1.5 });
    server.board.set(idOf('agent1'), 'available');

    const one = await dial(first, 'supervisor', '5003');
    pickUp(a1 as RawSipClient, await (a1 as RawSipClient).request('INVITE'));
    await connected(one);
    await hangUp(one, a1 as RawSipClient);
    const endedAt = Date.now();
    expect(server.board.stateOf(idOf('agent1')).state).toBe('wrap_up');

    await dial(second, 'operator', '5003');
    expect(await (a1 as RawSipClient).nothing(isInvite, 1000)).toBe(true);
    const next = await (a1 as RawSipClient).request('INVITE', 2000);
    expect(next.headers.get('from')).toContain('operator');
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(1400);
    expect(server.board.historyOf(idOf('agent1')).slice(-3)).toEqual(['wrap_up', 'available', 'ringing']);
  });

  it('records a caller who hangs up while waiting as abandoned, with the wait, and withdraws the offer', async () => {
    const [a1] = await Promise.all(['agent1'].map((user) => online(user)));
    const caller = await online('supervisor');
    const queue = server.queues.add({ extension: '5004', agents: agentsOf('agent1'), ringSeconds: 5 });
    server.board.set(idOf('agent1'), 'available');
    const changesBefore = server.board.changes.length;

    const call = await dial(caller, 'supervisor', '5004');
    const invite = await (a1 as RawSipClient).request('INVITE');
    (a1 as RawSipClient).answer(invite, 180, 'Ringing', { toTag: newTag() });
    await new Promise((r) => setTimeout(r, 400));
    cancel(call);
    expect((await caller.response(call.callId, 'CANCEL')).status).toBe(200);
    expect((await caller.response(call.callId, 'INVITE')).status).toBe(487);
    await cancelled(a1 as RawSipClient, invite);
    const abandoned = server.log.of(call.callId).find((e) => e.kind === 'abandoned');
    expect(abandoned).toMatchObject({ queueId: queue.id });
    expect(abandoned?.kind === 'abandoned' && abandoned.waitMs).toBeGreaterThanOrEqual(400);
    expect(server.board.stateOf(idOf('agent1')).state).toBe('available');
    const changes = server.board.changes.slice(changesBefore).filter((c) => c.userId === idOf('agent1'));
    expect(changes.map((c) => c.to)).toEqual(['ringing', 'available']);
    expect(server.edge.queues?.waiting(queue.id).count).toBe(0);
  });

  it('serves two callers in the order they came, the oldest as soon as an agent is Available', async () => {
    const [a1] = await Promise.all(['agent1'].map((user) => online(user)));
    const first = await online('supervisor');
    const second = await online('operator');
    const queue = server.queues.add({ extension: '5005', agents: agentsOf('agent1') });
    const one = await dial(first, 'supervisor', '5005');
    await new Promise((r) => setTimeout(r, 50));
    const two = await dial(second, 'operator', '5005');
    expect(server.edge.queues?.waiting(queue.id).count).toBe(2);

    server.board.set(idOf('agent1'), 'available');
    const offerOne = await (a1 as RawSipClient).request('INVITE');
    expect(offerOne.headers.get('call-id')).toBe(one.callId);
    pickUp(a1 as RawSipClient, offerOne);
    await connected(one);
    expect(await (a1 as RawSipClient).nothing(isInvite, 200)).toBe(true);
    await hangUp(one, a1 as RawSipClient);
    const offerTwo = await (a1 as RawSipClient).request('INVITE');
    expect(offerTwo.headers.get('call-id')).toBe(two.callId);
  });

  it('ring all: every Available agent rings at once and the first to answer takes it', async () => {
    const [a1, a2, a3] = await Promise.all(['agent1', 'agent2', 'agent3'].map((user) => online(user)));
    const caller = await online('supervisor');
    server.queues.add({
      extension: '5006',
      agents: agentsOf('agent1', 'agent2', 'agent3'),
      strategy: 'ring_all',
      ringSeconds: 5,
    });
    for (const user of ['agent1', 'agent2', 'agent3']) server.board.set(idOf(user), 'available');

    const call = await dial(caller, 'supervisor', '5006');
    const [i1, i2, i3] = await Promise.all([a1, a2, a3].map((c) => (c as RawSipClient).request('INVITE')));
    for (const [client, invite] of [
      [a1, i1],
      [a3, i3],
    ] as const)
      (client as RawSipClient).answer(invite as SipRequest, 180, 'Ringing', { toTag: newTag() });
    pickUp(a2 as RawSipClient, i2 as SipRequest);
    await connected(call);
    await Promise.all([
      cancelled(a1 as RawSipClient, i1 as SipRequest),
      cancelled(a3 as RawSipClient, i3 as SipRequest),
    ]);
    expect(server.board.stateOf(idOf('agent2')).state).toBe('on_call');
    expect(server.board.stateOf(idOf('agent1')).state).toBe('available');
    expect(server.board.stateOf(idOf('agent3')).state).toBe('available');
  });
});

describe('the maximum wait', () => {
  it('overflows to another queue, where the wait goes on', async () => {
    const [a1, a2] = await Promise.all(['agent1', 'agent2'].map((user) => online(user)));
    const caller = await online('supervisor');
    const second = server.queues.add({ extension: '5011', agents: agentsOf('agent2') });
    const first = server.queues.add({
      extension: '5010',
      agents: agentsOf('agent1'),
      maxWaitSeconds: 1,
      overflow: { kind: 'queue', queueId: second.id },
    });
    server.board.set(idOf('agent1'), 'not_ready', { reason: 'Break' });
    server.board.set(idOf('agent2'), 'available');

    const call = await dial(caller, 'supervisor', '5010');
    const invite = await (a2 as RawSipClient).request('INVITE', 3000);
    expect(await (a1 as RawSipClient).nothing(isInvite, 0)).toBe(true);
    pickUp(a2 as RawSipClient, invite);
    await connected(call);
    const story = server.log.of(call.callId);
    expect(story.map((e) => e.kind)).toEqual(['queued', 'overflowed', 'queued', 'answered']);
    expect(story[1]).toMatchObject({ queueId: first.id, to: { kind: 'queue', queueId: second.id } });
    expect(story[1]?.kind === 'overflowed' && story[1].waitMs).toBeGreaterThanOrEqual(950);
    expect(story[3]).toMatchObject({ queueId: second.id, userId: idOf('agent2') });
    expect(story[3]?.kind === 'answered' && story[3].waitMs).toBeGreaterThanOrEqual(950);
  });

  it('overflows to a user, who is rung like a normal call', async () => {
    const admin = await online('admin');
    const caller = await online('supervisor');
    server.queues.add({
      extension: '5012',
      agents: agentsOf('agent1'),
      maxWaitSeconds: 1,
      overflow: { kind: 'user', userId: idOf('admin') },
    });
    const call = await dial(caller, 'supervisor', '5012');
    const invite = await admin.request('INVITE', 3000);
    pickUp(admin, invite);
    const ok = await connected(call);
    expect(ok.headers.get('p-asserted-identity') ?? '').toContain('sip:1006@');
    expect(server.log.of(call.callId).find((e) => e.kind === 'overflowed')).toMatchObject({
      to: { kind: 'user', userId: idOf('admin') },
    });
    expect(server.board.historyOf(idOf('admin'))).not.toContain('ringing');
  });

  it('refuses with the configured reason: 480 when nobody is there, 486 when the agents are busy', async () => {
    const caller = await online('supervisor');
    server.queues.add({
      extension: '5013',
      agents: agentsOf('agent1'),
      maxWaitSeconds: 1,
      overflow: { kind: 'refuse', reason: 'Closed for the holidays' },
    });
    const call = await dial(caller, 'supervisor', '5013');
    const refused = await caller.response(call.callId, 'INVITE', true, 3000);
    expect([refused.status, refused.reason]).toEqual([480, 'Closed for the holidays']);
    expect(server.log.of(call.callId).map((e) => e.kind)).toEqual(['queued', 'overflowed']);

    // agent1 is on another queue call: the same queue now says busy.
    server.board.set(idOf('agent1'), 'available');
    server.board.offered(idOf('agent1'), 'elsewhere');
    server.board.answered(idOf('agent1'), 'elsewhere');
    const again = await dial(caller, 'supervisor', '5013');
    const busy = await caller.response(again.callId, 'INVITE', true, 3000);
    expect([busy.status, busy.reason]).toEqual([486, 'Closed for the holidays']);
  });
});

describe('sip.js phones', () => {
  it('a sip.js caller hears the edge ringing, then is connected to the sip.js agent who answers', async () => {
    const online = (user: string) =>
      TestPhone.online({
        wsUrl: server.wsUrl,
        domain: domain(),
        user,
        password: server.passwords.get(user) ?? '',
      });
    const [agent, caller] = await Promise.all([online('agent1'), online('supervisor')]);
    try {
      server.queues.add({ extension: '5020', agents: agentsOf('agent1') });
      server.board.set(idOf('agent1'), 'available');
      const { inviter, final } = caller.call('5020');
      const invitation = await agent.nextInvitation();
      expect(inviter.state).toBe(SessionState.Establishing);
      await invitation.accept();
      expect((await final).status).toBe(200);
      await sessionState(inviter, SessionState.Established);
      expect(server.board.stateOf(idOf('agent1')).state).toBe('on_call');
      expect(await byeFrom(inviter)).toBe(200);
      await sessionState(invitation, SessionState.Terminated);
      expect(server.board.stateOf(idOf('agent1')).state).toBe('available');
    } finally {
      await Promise.all([agent.stop(), caller.stop()]);
    }
  });
});
