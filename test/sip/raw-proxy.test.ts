import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listCalls } from '../../server/store/calls-repository';
import { findUserByUsername } from '../../server/store/users-repository';
import type { SipResponse } from '../../server/sip/message/sip-message';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { digestAnswer, newCallId, newTag, RawSipClient } from './raw-sip-client';

let server: EdgeTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer({ sipGraceMs: 1500 });
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await server.stop();
});

const domain = () => server.config.sipDomain;
const { edgeRoute, sdp, disconnectAll, online, invite, establish, inDialog, reverse } = rawDialogs(
  () => server,
  clients,
);

async function recordOf(callId: string) {
  await server.edge.recordsIdle();
  const { items } = await listCalls(server.db, {}, { offset: 0, limit: 200 });
  return items.find((r) => r.callId === callId);
}

describe('identity of requests outside a dialog', () => {
  it('challenges an unregistered connection with 407, accepts the answer, refuses a forged From', async () => {
    const c = await RawSipClient.connect(server.wsUrl);
    clients.push(c);
    const call = invite(c, 'agent1', '1003');
    call.send();
    const challenge = await c.response(call.callId, 'INVITE');
    expect(challenge.status).toBe(407);
    const offer = challenge.headers.getAll('proxy-authenticate').find((v) => v.includes('MD5')) ?? '';
    // Answering as agent1 works (agent3 is offline: 480).
    c.send({
      method: 'INVITE',
      uri: `sip:1003@${domain()}`,
      from: call.from,
      to: call.to,
      callId: call.callId,
      cseq: 2,
      headers: [
        ['Contact', c.contact],
        [
          'Proxy-Authorization',
          digestAnswer({
            challenge: offer,
            username: 'agent1',
            password: server.passwords.get('agent1') ?? '',
            method: 'INVITE',
            uri: `sip:1003@${domain()}`,
          }),
        ],
      ],
    });
    const offline = await c.response(call.callId, 'INVITE');
    expect(offline.status).toBe(480);
    // agent2's credentials with agent1 in From: forged.
    const forged = invite(c, 'agent1', '1003');
    forged.send();
    const again = await c.response(forged.callId, 'INVITE');
    const offer2 = again.headers.getAll('proxy-authenticate').find((v) => v.includes('MD5')) ?? '';
    c.send({
      method: 'INVITE',
      uri: `sip:1003@${domain()}`,
      from: forged.from,
      to: forged.to,
      callId: forged.callId,
      cseq: 2,
      headers: [
        ['Contact', c.contact],
        [
          'Proxy-Authorization',
          digestAnswer({
            challenge: offer2,
            username: 'agent2',
            password: server.passwords.get('agent2') ?? '',
            method: 'INVITE',
            uri: `sip:1003@${domain()}`,
          }),
        ],
      ],
    });
    const refused = await c.response(forged.callId, 'INVITE');
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe('From does not match your identity');
  });

  it('refuses a registered connection sending as someone else: 403', async () => {
    const alice = await online('agent1');
    await online('agent2');
    const forged = invite(alice, 'agent3', '1002');
    forged.send();
    const refused = await alice.response(forged.callId, 'INVITE');
    expect(refused.status).toBe(403);
    const message = invite(alice, 'agent3', '1002');
    alice.send({
      method: 'MESSAGE',
      uri: `sip:1002@${domain()}`,
      from: message.from,
      to: message.to,
      callId: message.callId,
      cseq: 1,
      headers: [['Content-Type', 'text/plain']],
      body: 'hi',
    });
    expect((await alice.response(message.callId, 'MESSAGE')).status).toBe(403);
  });

  it('answers OPTIONS (keep-alive) and 481 to a BYE for no dialog', async () => {
    const alice = await online('agent1');
    const callId = newCallId();
    alice.send({
      method: 'OPTIONS',
      uri: `sip:${domain()}`,
      from: `<sip:agent1@${domain()}>;tag=${newTag()}`,
      to: `<sip:${domain()}>`,
      callId,
      cseq: 1,
    });
    expect((await alice.response(callId, 'OPTIONS')).status).toBe(200);
    alice.send({
      method: 'BYE',
      uri: `sip:x@y.invalid`,
      from: `<sip:agent1@${domain()}>;tag=${newTag()}`,
      to: `<sip:agent2@${domain()}>;tag=nope`,
      callId,
      cseq: 2,
      headers: [['Route', edgeRoute()]],
    });
    expect((await alice.response(callId, 'BYE')).status).toBe(481);
  });
});

describe('the proxy on the wire', () => {
  it('record-routes, rewrites the Request-URI, strips the monitor mark in the dialog and its own Via; routes ACK, BYE, UPDATE, INFO, NOTIFY, MESSAGE', async () => {
    const alice = await online('agent1');
    const bob = await online('agent2');
    const call = invite(alice, 'agent1', '1002');
    call.send();
    const atBob = await bob.request('INVITE');
    expect(atBob.uri).toBe(`sip:${bob.contactUser}@${bob.host};transport=ws`);
    expect(atBob.headers.getAll('record-route')).toEqual([edgeRoute()]);
    expect(atBob.headers.getAll('via')).toHaveLength(2);
    expect(atBob.headers.get('max-forwards')).toBe('69');
    const tag = newTag();
    bob.answer(atBob, 180, 'Ringing', { toTag: tag });
    const ringing = (await alice.next((m) => m.kind === 'response' && m.status === 180)) as SipResponse;
    expect(ringing.headers.getAll('via')).toHaveLength(1);
    bob.answer(atBob, 200, 'OK', {
      toTag: tag,
      headers: [
        ['Contact', bob.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    const ok = await alice.response(call.callId, 'INVITE');
    expect(ok.headers.getAll('via')).toHaveLength(1);
    expect(ok.headers.getAll('record-route')).toEqual([edgeRoute()]);
    call.to = ok.headers.get('to') ?? '';
    call.target = `sip:${bob.contactUser}@${bob.host};transport=ws`;
    alice.send({
      method: 'ACK',
      uri: call.target,
      from: call.from,
      to: call.to,
      callId: call.callId,
      cseq: 1,
      headers: [
        ['Route', edgeRoute()],
        ['X-Switchboard-Monitor', 'listen'],
      ],
    });
    const ack = await bob.request('ACK');
    expect(ack.headers.has('route')).toBe(false);
    expect(ack.headers.has('x-switchboard-monitor')).toBe(false);

    for (const method of ['UPDATE', 'INFO', 'NOTIFY', 'MESSAGE', 'OPTIONS']) {
      inDialog(alice, call, method, [['X-Switchboard-Monitor', 'whisper']]);
      const atCallee = await bob.request(method);
      expect(atCallee.headers.has('x-switchboard-monitor')).toBe(false);
      bob.answer(atCallee, 200, 'OK');
      const answer = await alice.response(call.callId, method);
      expect(answer.status).toBe(200);
      expect(answer.headers.getAll('via')).toHaveLength(1);
    }
    inDialog(alice, call, 'BYE');
    const bye = await bob.request('BYE');
    bob.answer(bye, 200, 'OK');
    expect((await alice.response(call.callId, 'BYE')).status).toBe(200);
    const record = await recordOf(call.callId);
    expect(record).toMatchObject({ disposition: 'answered', reason: 'Ended by the caller' });
  });

  it('forks to two raw devices and CANCELs the one that did not answer', async () => {
    const alice = await online('agent1');
    const desk = await online('agent2');
    const laptop = await online('agent2');
    const call = invite(alice, 'agent1', 'agent2');
    call.send();
    const [atDesk, atLaptop] = await Promise.all([desk.request('INVITE'), laptop.request('INVITE')]);
    desk.answer(atDesk, 180, 'Ringing', { toTag: 'desk' });
    laptop.answer(atLaptop, 180, 'Ringing', { toTag: 'laptop' });
    await alice.next((m) => m.kind === 'response' && m.status === 180);
    laptop.answer(atLaptop, 200, 'OK', {
      toTag: 'laptop',
      headers: [['Contact', laptop.contact]],
      body: sdp,
    });
    expect((await alice.response(call.callId, 'INVITE')).status).toBe(200);
    const cancel = await desk.request('CANCEL');
    expect(cancel.headers.get('via')).toBe(atDesk.headers.get('via'));
    desk.answer(cancel, 200, 'OK');
    desk.answer(atDesk, 487, 'Request Terminated', { toTag: 'desk' });
    const ack = await desk.request('ACK');
    expect(ack.headers.get('cseq')).toBe('1 ACK');
  });

  it('refuses a CANCEL from another connection (481)', async () => {
    const alice = await online('agent1');
    const bob = await online('agent2');
    const mallory = await online('agent3');
    const call = invite(alice, 'agent1', '1002');
    call.send();
    const atBob = await bob.request('INVITE');
    bob.answer(atBob, 180, 'Ringing', { toTag: 'b' });
    const via = atBob.headers.getAll('via')[1] ?? '';
    const branch = /branch=([^;]+)/.exec(via)?.[1] ?? '';
    mallory.sendText(
      mallory
        .build({
          method: 'CANCEL',
          uri: `sip:1002@${domain()}`,
          from: call.from,
          to: call.to,
          callId: call.callId,
          cseq: 1,
          branch,
        })
        .replace(`SIP/2.0/WS ${mallory.host}`, `SIP/2.0/WS ${alice.host}`),
    );
    expect((await mallory.response(call.callId, 'CANCEL')).status).toBe(481);
    expect(await bob.nothing((m) => m.kind === 'request' && m.method === 'CANCEL')).toBe(true);
  });
});

describe('the call record', () => {
  it('says no-media when the phone ends the call for want of an audio path (BYE Reason)', async () => {
    const caller = await online('agent1');
    const callee = await online('agent2');
    const { call } = await establish(caller, 'agent1', callee, '1002');
    inDialog(caller, call, 'BYE', [['Reason', 'SIP;cause=488;text="no-media"']]);
    const bye = await callee.request('BYE');
    expect(bye.headers.get('reason')).toBe('SIP;cause=488;text="no-media"');
    callee.answer(bye, 200, 'OK');
    expect((await caller.response(call.callId, 'BYE')).status).toBe(200);
    expect(await recordOf(call.callId)).toMatchObject({
      disposition: 'no-media',
      reason: "No audio path between the phones (agent1's phone found none)",
    });
  });

  it('names the routed callee as "to", whatever the caller put in its To header', async () => {
    const caller = await online('agent1');
    const callee = await online('agent2');
    const call = invite(caller, 'agent1', '1002');
    call.to = `"Boss" <sip:1006@${domain()}>`;
    call.send();
    const atCallee = await callee.request('INVITE');
    callee.answer(atCallee, 486, 'Busy Here');
    expect((await caller.response(call.callId, 'INVITE')).status).toBe(486);
    const record = await recordOf(call.callId);
    expect(record).toMatchObject({
      toUri: `sip:1002@${domain()}`,
      toName: 'Agent Two',
      disposition: 'busy',
    });
    expect(record?.toUserId).toBe((await findUserByUsername(server.db, 'agent2'))?.id);
    expect(record?.toUri).not.toContain('1006');
  });

  it('keeps what was dialled when nobody has that number', async () => {
    const caller = await online('agent1');
    const call = invite(caller, 'agent1', '1999');
    call.to = `"Boss" <sip:1006@${domain()}>`;
    call.send();
    expect((await caller.response(call.callId, 'INVITE')).status).toBe(404);
    expect(await recordOf(call.callId)).toMatchObject({
      toUri: `sip:1999@${domain()}`,
      toName: null,
      toUserId: null,
    });
  });
});

describe('a connection dropped mid-call', () => {
  it('comes back within the grace period: the call continues on the new connection', async () => {
    const alice = await online('agent1');
    const bob = await online('agent2');
    const { call, atCallee, calleeTag } = await establish(alice, 'agent1', bob, '1002');
    const identity = { host: bob.host, contactUser: bob.contactUser };
    bob.terminate();
    await new Promise((r) => setTimeout(r, 300));
    expect(server.edge.dialogs()).toHaveLength(1);
    const bobAgain = await online('agent2', identity);
    // ICE restart: the reconnected phone re-INVITEs from its new connection.
    const back = reverse(atCallee, calleeTag);
    inDialog(
      bobAgain,
      back,
      'INVITE',
      [
        ['Contact', bobAgain.contact],
        ['Content-Type', 'application/sdp'],
      ],
      sdp,
    );
    const reinvite = await alice.request('INVITE');
    alice.answer(reinvite, 200, 'OK', { headers: [['Contact', alice.contact]], body: sdp });
    expect((await bobAgain.response(back.callId, 'INVITE')).status).toBe(200);
    bobAgain.send({
      method: 'ACK',
      uri: back.target,
      from: back.from,
      to: back.to,
      callId: back.callId,
      cseq: back.cseq,
      headers: [['Route', edgeRoute()]],
    });
    await alice.request('ACK');
    await new Promise((r) => setTimeout(r, 1600));
    // Past the grace period the call is still up; the caller's BYE reaches the new connection.
    inDialog(alice, call, 'BYE');
    const bye = await bobAgain.request('BYE');
    bobAgain.answer(bye, 200, 'OK');
    expect((await alice.response(call.callId, 'BYE')).status).toBe(200);
  });

  it('does not come back: after the grace period the other party gets BYE and the record closes', async () => {
    const alice = await online('agent1');
    const bob = await online('agent2');
    const { call } = await establish(alice, 'agent1', bob, '1002');
    bob.terminate();
    const started = Date.now();
    const bye = await alice.request('BYE', 5000);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1300);
    expect(bye.uri).toBe(`sip:${alice.contactUser}@${alice.host};transport=ws`);
    expect(bye.headers.get('to')).toBe(call.from);
    expect(bye.headers.get('from')).toBe(call.to);
    alice.answer(bye, 200, 'OK');
    const record = await recordOf(call.callId);
    expect(record).toMatchObject({ disposition: 'answered', reason: 'agent2 lost the connection' });
    expect(record?.endedAt).not.toBeNull();
    expect(server.edge.dialogs()).toHaveLength(0);
  });
});
