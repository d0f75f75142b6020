import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditList } from '../../contracts/audit';
import { MIX_FEATURE_TAG, parseMonitorMark } from '../../contracts/monitor-header';
import type { MonitorBoard } from '../../contracts/monitor';
import type { Profile } from '../../contracts/profiles';
import type { SipRequest } from '../../server/sip/message/sip-message';
import { listCalls } from '../../server/store/calls-repository';
import { findGroupByName, removeMember, addMember } from '../../server/store/groups-repository';
import { findUserByUsername } from '../../server/store/users-repository';
import { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs, type RawCall } from './raw-dialogs';
import type { RawSipClient } from './raw-sip-client';

// Monitor sessions through the real edge, spoken by raw SIP clients: what is forwarded, with
// which mark, and every refusal the issue names, each from a client that really asks.

let server: EdgeTestServer;
const clients: RawSipClient[] = [];
const { disconnectAll, online, invite, answer, acknowledge, establish, inDialog } = rawDialogs(
  () => server,
  clients,
);
const MIX = `;${MIX_FEATURE_TAG}`;
let console_: ApiClient;

beforeAll(async () => {
  server = await startEdgeServer({ sipGraceMs: 200 });
  console_ = await signedIn('operator');
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await server.stop();
});

async function signedIn(username: string): Promise<ApiClient> {
  const api = new ApiClient(server.url);
  const response = await api.signIn(username, server.passwords.get(username) ?? '');
  expect(response.status).toBe(200);
  return api;
}

/** agent2 (the customer) calls agent1; both phones can mix. */
async function customerCallsAgent1(agent1Params = MIX) {
  const agent1 = await online('agent1', {}, agent1Params);
  const customer = await online('agent2', {}, MIX);
  const { call } = await establish(customer, 'agent2', agent1, '1001');
  const dialog = server.edge.dialogs().find((d) => d.callId === call.callId);
  if (!dialog) throw new Error('the call is not tracked');
  return { agent1, customer, call, dialogId: dialog.id };
}

/** The operator asks to monitor 1001 in `mode`; returns the monitor call and the first answer. */
async function askToMonitor(operator: RawSipClient, mode: string, dialogId: string, user = 'operator') {
  const session = invite(operator, user, '1001', [['X-Switchboard-Monitor', `${mode};call="${dialogId}"`]]);
  session.send();
  return session;
}

async function finalStatus(client: RawSipClient, callId: string, method = 'INVITE') {
  const response = await client.response(callId, method);
  return { status: response.status, reason: response.reason };
}

const noInvite = (client: RawSipClient) =>
  client.nothing((m) => m.kind === 'request' && m.method === 'INVITE');

async function auditActions(): Promise<string[]> {
  await server.edge.recordsIdle();
  const admin = await signedIn('admin');
  const { body } = await admin.get<AuditList>('/api/audit?entity=call&limit=100');
  return body.items.map((entry) => entry.action);
}

describe('a monitor session through the edge', () => {
  it('reaches only the agent’s phone on the call, with the edge’s mark; modes change by INFO; the call ending ends it; all recorded', async () => {
    const { agent1, customer, call, dialogId } = await customerCallsAgent1();
    await online('agent1', {}, MIX); // a second device of agent1, not on the call
    const secondDevice = clients.at(-1);
    const operator = await online('operator');

    const session = await askToMonitor(operator, 'listen', dialogId);
    const atAgent = await agent1.request('INVITE');
    const mark = parseMonitorMark(atAgent.headers.get('x-switchboard-monitor'));
    expect(mark).toEqual({ mode: 'listen', call: null, callId: call.callId, by: 'Olivia Operator' });
    expect(secondDevice && (await noInvite(secondDevice))).toBe(true);
    answer(agent1, atAgent, false);
    await acknowledge(operator, session);
    await agent1.request('ACK');

    const board = await console_.get<MonitorBoard>('/api/monitor/board');
    const member = board.body.members.find((m) => m.username === 'agent1');
    expect(member?.state).toBe('on_call');
    expect(member?.calls[0]?.monitors).toMatchObject([{ byUsername: 'operator', mode: 'listen' }]);

    for (const mode of ['whisper', 'barge', 'listen']) {
      inDialog(operator, session, 'INFO', [['X-Switchboard-Monitor', mode]]);
      const info = await agent1.request('INFO');
      expect(parseMonitorMark(info.headers.get('x-switchboard-monitor'))?.mode).toBe(mode);
      agent1.answer(info, 200, 'OK');
      expect((await finalStatus(operator, session.callId, 'INFO')).status).toBe(200);
    }

    // The customer hangs up: the agent gets that BYE, and both ends of the monitor session get one.
    inDialog(customer, call, 'BYE');
    const byes: SipRequest[] = [await agent1.request('BYE'), await agent1.request('BYE')];
    for (const bye of byes) agent1.answer(bye, 200, 'OK');
    expect(byes.map((b) => b.headers.get('call-id')).sort()).toEqual([call.callId, session.callId].sort());
    const atOperator = await operator.request('BYE');
    expect(atOperator.headers.get('reason')).toContain('The monitored call ended');
    operator.answer(atOperator, 200, 'OK');

    await server.edge.recordsIdle();
    const { items } = await listCalls(server.db, {}, { offset: 0, limit: 50 });
    const record = items.find((r) => r.callId === call.callId);
    expect(record?.monitoring).toHaveLength(1);
    expect(record?.monitoring[0]).toMatchObject({
      byUsername: 'operator',
      mode: 'listen',
      changes: [{ mode: 'whisper' }, { mode: 'barge' }, { mode: 'listen' }],
    });
    expect(record?.monitoring[0]?.endedAt).not.toBeNull();
    expect(items.some((r) => r.callId === session.callId)).toBe(false);
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'monitor.mode')).toHaveLength(3);
    expect(actions).toContain('monitor.start');
    expect(actions).toContain('monitor.stop');
  });

  it('ends when the operator hangs up, and the agent’s call goes on', async () => {
    const { agent1, call, dialogId } = await customerCallsAgent1();
    const operator = await online('operator');
    const session = await askToMonitor(operator, 'whisper', dialogId);
    answer(agent1, await agent1.request('INVITE'), false);
    await acknowledge(operator, session);
    inDialog(operator, session, 'BYE');
    const bye = await agent1.request('BYE');
    expect(bye.headers.get('call-id')).toBe(session.callId);
    agent1.answer(bye, 200, 'OK');
    expect((await finalStatus(operator, session.callId, 'BYE')).status).toBe(200);
    expect(server.edge.dialogs().map((d) => d.callId)).toEqual([call.callId]);
  });
  it('ends, both sides told why, when the operator removes the agent from the barge group', async () => {
    const { agent1, call, dialogId } = await customerCallsAgent1();
    const operator = await online('operator');
    const session = await askToMonitor(operator, 'barge', dialogId);
    answer(agent1, await agent1.request('INVITE'), false);
    await acknowledge(operator, session);
    const group = await findGroupByName(server.db, 'floor_1');
    const agent1User = await findUserByUsername(server.db, 'agent1');
    if (!group || !agent1User) throw new Error('demo data missing');
    try {
      expect((await console_.delete(`/api/groups/${group.id}/members/${agent1User.id}`)).status).toBe(200);
      const atAgent = await agent1.request('BYE');
      const atOperator = await operator.request('BYE');
      for (const [client, bye] of [
        [agent1, atAgent],
        [operator, atOperator],
      ] as const) {
        expect(bye.headers.get('call-id')).toBe(session.callId);
        expect(bye.headers.get('reason')).toContain('Agent One is not in your barge group floor_1');
        client.answer(bye, 200, 'OK');
      }
      expect(server.edge.dialogs().map((d) => d.callId)).toEqual([call.callId]);
    } finally {
      await addMember(server.db, group.id, agent1User.id);
      // Written straight to the database, as another process would: the edge hears of it.
      server.deps.events.publish({ entity: 'group', id: group.id });
    }
  });
});

describe('monitor refusals, each from a real client', () => {
  it('an operator whose profile lacks barge asking barge, and switching to it mid-session', async () => {
    const admin = await signedIn('admin');
    const profiles = await admin.get<{ items: Profile[] }>('/api/profiles');
    const operators = profiles.body.items.find((p) => p.name === 'operators');
    if (!operators) throw new Error('no operators profile');
    const patched = await admin.patch(`/api/profiles/${operators.id}`, {
      json: { flags: ['call', 'transfer', 'listen', 'whisper'] },
    });
    expect(patched.status).toBe(200);
    try {
      const { agent1, dialogId } = await customerCallsAgent1();
      const operator = await online('operator');
      const barge = await askToMonitor(operator, 'barge', dialogId);
      expect(await finalStatus(operator, barge.callId)).toEqual({
        status: 403,
        reason: 'Your profile does not allow barge',
      });
      expect(await noInvite(agent1)).toBe(true);

      const listen = await askToMonitor(operator, 'listen', dialogId);
      answer(agent1, await agent1.request('INVITE'), false);
      await acknowledge(operator, listen);
      inDialog(operator, listen, 'INFO', [['X-Switchboard-Monitor', 'barge']]);
      expect(await finalStatus(operator, listen.callId, 'INFO')).toEqual({
        status: 403,
        reason: 'Your profile does not allow barge',
      });
      expect(await agent1.nothing((m) => m.kind === 'request' && m.method === 'INFO')).toBe(true);
      const board = await console_.get<MonitorBoard>('/api/monitor/board');
      expect(board.body.modes).toEqual({ listen: true, whisper: true, barge: false });
    } finally {
      await admin.patch(`/api/profiles/${operators.id}`, {
        json: { flags: ['call', 'transfer', 'listen', 'whisper', 'barge'] },
      });
    }
    expect(await auditActions()).toContain('monitor.refused');
  });

  it('an agent outside the barge group', async () => {
    const group = await findGroupByName(server.db, 'floor_1');
    const agent1User = await findUserByUsername(server.db, 'agent1');
    if (!group || !agent1User) throw new Error('demo data missing');
    await removeMember(server.db, group.id, agent1User.id);
    server.deps.events.publish({ entity: 'group', id: group.id });
    try {
      const { agent1, dialogId } = await customerCallsAgent1();
      const operator = await online('operator');
      const session = await askToMonitor(operator, 'listen', dialogId);
      expect(await finalStatus(operator, session.callId)).toEqual({
        status: 403,
        reason: 'Agent One is not in your barge group floor_1',
      });
      expect(await noInvite(agent1)).toBe(true);
    } finally {
      await addMember(server.db, group.id, agent1User.id);
      // Written straight to the database, as another process would: the edge hears of it.
      server.deps.events.publish({ entity: 'group', id: group.id });
    }
  });

  it('a higher role in the barge group, written there directly (not through the API, which refuses it)', async () => {
    const group = await findGroupByName(server.db, 'floor_1');
    const adminUser = await findUserByUsername(server.db, 'admin');
    if (!group || !adminUser) throw new Error('demo data missing');
    await addMember(server.db, group.id, adminUser.id);
    // As if another process had written it: the edge hears of the change.
    server.deps.events.publish({ entity: 'group', id: group.id });
    try {
      const boss = await online('admin', {}, MIX);
      const customer = await online('agent2', {}, MIX);
      const { call } = await establish(customer, 'agent2', boss, '1006');
      const dialogId = server.edge.dialogs().find((d) => d.callId === call.callId)?.id ?? '';
      const operator = await online('operator');
      const session = invite(operator, 'operator', '1006', [
        ['X-Switchboard-Monitor', `listen;call="${dialogId}"`],
      ]);
      session.send();
      expect(await finalStatus(operator, session.callId)).toEqual({
        status: 403,
        reason: 'Administrator is an admin; an operator may monitor only agents',
      });
      expect(await noInvite(boss)).toBe(true);
      const board = await console_.get<MonitorBoard>('/api/monitor/board');
      const member = board.body.members.find((m) => m.username === 'admin');
      expect(member?.cannotMonitor).toBe('Administrator is an admin; an operator may monitor only agents');
      expect(member?.calls[0]?.checks.listen).toBe(
        'Administrator is an admin; an operator may monitor only agents',
      );
    } finally {
      await removeMember(server.db, group.id, adminUser.id);
      server.deps.events.publish({ entity: 'group', id: group.id });
    }
    const refused = await auditActions();
    expect(refused).toContain('monitor.refused');
  });

  it('an agent not on a call', async () => {
    const agent1 = await online('agent1', {}, MIX);
    const operator = await online('operator');
    const session = await askToMonitor(operator, 'listen', 'no-such-call');
    expect(await finalStatus(operator, session.callId)).toEqual({
      status: 403,
      reason: 'Agent One is not on a call',
    });
    expect(await noInvite(agent1)).toBe(true);
  });

  it('an agent whose phone cannot mix', async () => {
    const { agent1, dialogId } = await customerCallsAgent1('');
    const operator = await online('operator');
    const session = await askToMonitor(operator, 'listen', dialogId);
    const answer = await finalStatus(operator, session.callId);
    expect(answer.status).toBe(403);
    expect(answer.reason).toMatch(/^Agent One's phone cannot mix a monitor session/);
    expect(await noInvite(agent1)).toBe(true);
  });

  it('an agent forging the monitor header toward another agent, in a new call and inside a dialog', async () => {
    const { agent1, customer, call, dialogId } = await customerCallsAgent1();
    const agent3 = await online('agent3', {}, MIX);
    const forged = invite(customer, 'agent2', '1003', [
      ['X-Switchboard-Monitor', `barge;call="${dialogId}"`],
    ]);
    forged.send();
    expect(await finalStatus(customer, forged.callId)).toEqual({
      status: 403,
      reason: 'Monitoring calls needs the operator role or higher',
    });
    expect(await noInvite(agent3)).toBe(true);

    inDialog(customer, call, 'INFO', [['X-Switchboard-Monitor', `barge;call-id="${call.callId}"`]]);
    const info = await agent1.request('INFO');
    expect(info.headers.has('x-switchboard-monitor')).toBe(false);
    agent1.answer(info, 200, 'OK');
    const reinvite: RawCall = { ...call };
    inDialog(customer, reinvite, 'INVITE', [
      ['X-Switchboard-Monitor', 'listen'],
      ['Contact', customer.contact],
    ]);
    const atAgent = await agent1.request('INVITE');
    expect(atAgent.headers.has('x-switchboard-monitor')).toBe(false);
    agent1.answer(atAgent, 488, 'Not Acceptable Here');
  });

  it('a signed-out operator', async () => {
    const { agent1, dialogId } = await customerCallsAgent1();
    const operatorApi = await signedIn('operator');
    // Every web session of the operator ends (the shared one of this file too).
    await operatorApi.delete('/api/session');
    await console_.delete('/api/session');
    try {
      const operator = await online('operator');
      const session = await askToMonitor(operator, 'listen', dialogId);
      expect(await finalStatus(operator, session.callId)).toEqual({
        status: 403,
        reason: 'You are signed out; sign in to Switchboard to monitor calls',
      });
      expect(await noInvite(agent1)).toBe(true);
      expect((await console_.get('/api/monitor/board')).status).toBe(401);
    } finally {
      console_ = await signedIn('operator');
    }
  });
});

describe('the board', () => {
  it('shows members offline, available and on a call, and refuses agents', async () => {
    await online('agent3', {}, MIX);
    const { dialogId } = await customerCallsAgent1();
    const { body } = await console_.get<MonitorBoard>('/api/monitor/board');
    expect(body.group?.name).toBe('floor_1');
    expect(body.notice).toBeNull();
    const byName = Object.fromEntries(body.members.map((m) => [m.username, m]));
    expect(byName.agent1?.state).toBe('on_call');
    expect(byName.agent1?.canMix).toBe(true);
    expect(byName.agent1?.calls[0]).toMatchObject({
      dialogId,
      direction: 'incoming',
      state: 'answered',
      peer: { name: 'Agent Two', number: '1002' },
      checks: { listen: null, whisper: null, barge: null },
    });
    expect(byName.agent3?.state).toBe('available');
    const agentApi = await signedIn('agent1');
    const refused = await agentApi.get('/api/monitor/board');
    expect(refused.status).toBe(403);
  });
});
