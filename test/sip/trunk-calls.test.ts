import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trunkSecretBox } from '../../server/auth/secret-box';
import { loadConfig } from '../../server/config';
import { MIX_FEATURE_TAG, parseMonitorMark } from '../../contracts/monitor-header';
import type { MonitorBoard } from '../../contracts/monitor';
import { ApiClient } from '../api/support/api-client';
import {
  chromiumAnswer,
  chromiumOffer,
  plainAnswer,
  plainOffer,
} from '../../server/media/rtpengine/sample-sdp.fixture';
import type { SipResponse } from '../../server/sip/message/sip-message';
import { NOT_A_TRUNK_REASON } from '../../server/sip/trunks/ip-authentication';
import { findGroupByName } from '../../server/store/groups-repository';
import { insertNumber } from '../../server/store/numbers-repository';
import { findProfileByName } from '../../server/store/profiles-repository';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newCallId, newTag, type RawSipClient } from './raw-sip-client';
import {
  browserAcks,
  browserDials,
  carrierAnswers,
  carrierCalls,
  phoneAnswers,
  phoneCancelled,
  sendCancel,
  sendInDialog,
} from './support/call-steps';
import { bodyOf, midOf, uriOf, userOf } from './support/sip-text';
import {
  addTrunk,
  assignNumberToUser,
  edgeSettled,
  recordOf as recordIn,
  rtpengineInstalled,
  setProfileFlags,
  startTrunkEdge,
  trunkCaseOver,
  trunksRouted,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled("Skipped: trunk calls need rtpengine (Debian's rtpengine-daemon).");

const CUSTOMER = '+4930123456';
const OUR_NUMBER = '+4930777000';
const CALLER_ID = '+4930555000';
const GROUP_NUMBER = '+4930777100';
const national = { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' } as const;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe.skipIf(!installed)('trunk calls bridged by the edge through rtpengine (raw SIP)', () => {
  let server: EdgeTestServer;
  let carrierA: UdpCarrierPeer;
  let carrierB: UdpCarrierPeer;
  let carrierC: UdpCarrierPeer;
  const clients: RawSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);
  const recordOf = (callId: string) => recordIn(server, callId);
  /** The browser's INVITE to `dialled`, with a Chromium offer. */
  const dial = (client: RawSipClient, user: string, dialled: string) =>
    browserDials(client, domain(), user, dialled);
  /** The carrier calls `number` with a plain offer; returns what it needs for the dialog. */
  const customerCalls = (number: string) => carrierCalls(carrierA, server, number);

  beforeAll(async () => {
    server = await startTrunkEdge({ sipGraceMs: 1500, sipNoAnswerMs: 3000 });
    const edgePort = server.sip.udp ?? 0;
    carrierA = await UdpCarrierPeer.start(edgePort, '127.0.0.1');
    carrierB = await UdpCarrierPeer.start(edgePort, '127.0.0.2');
    carrierC = await UdpCarrierPeer.start(edgePort, '127.0.0.4');
    await addTrunk(server, { name: 'Carrier A', port: carrierA.port, numberFormat: national });
    await addTrunk(server, {
      name: 'Carrier B',
      host: '127.0.0.2',
      port: carrierB.port,
      numberFormat: national,
      priority: 2,
    });
    await addTrunk(server, {
      name: 'Carrier C',
      host: '127.0.0.4',
      port: carrierC.port,
      auth: {
        kind: 'register',
        username: 'acme',
        passwordSealed: await trunkSecretBox(server.db).seal('carrier secret'),
      },
      prefixes: ['+4940'],
      priority: 100,
    });
    await setProfileFlags(server, 'agents', ['call', 'transfer', 'external']);
    await assignNumberToUser(server, OUR_NUMBER, 'agent2');
    const floor = await findGroupByName(server.db, 'floor_1');
    await insertNumber(server.db, {
      number: GROUP_NUMBER,
      label: 'Floor 1',
      assignment: { kind: 'group', groupId: floor?.id ?? 0 },
    });
    // The edge reloads its trunks on the event; wait until it routes to all three.
    await edgeSettled(server, 3);
  });

  afterEach(() => trunkCaseOver(server, clients));

  afterAll(async () => {
    // The server first: its trunks' un-REGISTERs are answered by the carriers.
    await server?.stop();
    for (const peer of [carrierA, carrierB, carrierC]) peer?.close();
  });

  it('agent → customer: trunk format and caller ID, SDP rewritten both ways, re-INVITE and INFO across, BYE from the agent', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', '030 123456'.replace(' ', ''));
    const atCarrier = await carrierA.request('INVITE');
    expect(userOf(atCarrier.uri)).toBe('030123456');
    expect(userOf(uriOf(atCarrier.headers.get('from')))).toBe('030555000');
    expect(atCarrier.headers.get('call-id')).not.toBe(call.callId);
    const offer = bodyOf(atCarrier);
    expect(offer).toContain('RTP/AVP');
    expect(offer).not.toMatch(/a=ice-ufrag|a=fingerprint|a=msid|a=extmap/);
    expect(offer).toMatch(/PCMU|PCMA/);

    const carrierSide = carrierAnswers(carrierA, atCarrier);
    const ringing = await agent.next((m) => m.kind === 'response' && m.status === 180);
    expect(ringing.kind).toBe('response');
    const ok = await agent.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('UDP/TLS/RTP/SAVPF');
    expect(bodyOf(ok)).toMatch(/a=ice-ufrag/);
    const ack = await carrierA.request('ACK');
    expect(ack.headers.get('call-id')).toBe(carrierSide.callId);
    const browserSide = browserAcks(agent, call, ok);

    // Live: the agent's call with the customer's number, one channel of the agents profile.
    const live = server.edge.control.liveDialogs();
    expect(live).toHaveLength(1);
    expect(live[0]?.state).toBe('answered');
    expect(live[0]?.callee.displayName).toBe(CUSTOMER);
    expect(live[0]?.callee.userId).toBeNull();
    const agents = await findProfileByName(server.db, 'agents');
    expect(server.edge.live.channelsInUse(agents?.id ?? 0)).toBe(1);

    // Hold: the browser's re-INVITE reaches the carrier as the edge's, plain RTP.
    sendInDialog(agent, browserSide, 'INVITE', 2, {
      headers: [
        ['Contact', agent.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer.replace('a=sendrecv', 'a=sendonly'),
    });
    const reinvite = await carrierA.request('INVITE');
    expect(reinvite.headers.get('call-id')).toBe(carrierSide.callId);
    expect(bodyOf(reinvite)).toContain('a=sendonly');
    expect(bodyOf(reinvite)).not.toContain('a=ice-ufrag');
    carrierA.answer(reinvite, 200, 'OK', {
      headers: [['Contact', carrierA.contact]],
      body: plainAnswer(40000).replace('a=sendrecv', 'a=recvonly'),
    });
    const held = await agent.response(browserSide.callId, 'INVITE');
    expect(held.status).toBe(200);
    expect(bodyOf(held)).toContain('UDP/TLS/RTP/SAVPF');
    await carrierA.request('ACK');
    sendInDialog(agent, browserSide, 'ACK', 2);

    // DTMF by INFO passes as an in-dialog INFO.
    sendInDialog(agent, browserSide, 'INFO', 3, {
      headers: [['Content-Type', 'application/dtmf-relay']],
      body: 'Signal=5\r\nDuration=160\r\n',
    });
    const info = await carrierA.request('INFO');
    expect(info.headers.get('content-type')).toBe('application/dtmf-relay');
    expect(bodyOf(info)).toContain('Signal=5');
    carrierA.answer(info, 200, 'OK');
    expect((await agent.response(browserSide.callId, 'INFO')).status).toBe(200);

    sendInDialog(agent, browserSide, 'BYE', 4);
    expect((await agent.response(browserSide.callId, 'BYE')).status).toBe(200);
    const bye = await carrierA.request('BYE');
    expect(bye.headers.get('call-id')).toBe(carrierSide.callId);
    carrierA.answer(bye, 200, 'OK');

    const record = await recordOf(call.callId);
    expect(record).toMatchObject({
      direction: 'outbound',
      number: CUSTOMER,
      trunk: 'Carrier A',
      disposition: 'answered',
    });
  });

  it('agent → customer: the customer hangs up, the agent gets BYE', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    const carrierSide = carrierAnswers(carrierA, atCarrier);
    const ok = await agent.response(call.callId, 'INVITE');
    browserAcks(agent, call, ok);
    await carrierA.request('ACK');
    sendInDialog(carrierA, carrierSide, 'BYE', 1);
    expect((await carrierA.response(carrierSide.callId, 'BYE')).status).toBe(200);
    const bye = await agent.request('BYE');
    expect(bye.headers.get('call-id')).toBe(call.callId);
    agent.answer(bye, 200, 'OK');
    expect(await recordOf(call.callId)).toMatchObject({
      disposition: 'answered',
      reason: `Ended by ${CUSTOMER}`,
    });
  });

  it('the carrier says busy: one sentence on the phone, busy in the record', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    carrierA.answer(atCarrier, 486, 'Busy Here', { toTag: newTag() });
    const busy = await agent.response(call.callId, 'INVITE');
    expect(busy.status).toBe(486);
    expect(busy.reason).toBe(`${CUSTOMER} is busy`);
    expect(await carrierA.request('ACK')).toBeTruthy();
    expect(await recordOf(call.callId)).toMatchObject({ disposition: 'busy', direction: 'outbound' });
  });

  it('503 from the first trunk: the call fails over to the second, which carries it', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const first = await carrierA.request('INVITE');
    carrierA.answer(first, 503, 'Service Unavailable', { toTag: newTag() });
    await carrierA.request('ACK');
    const second = await carrierB.request('INVITE');
    expect(second.headers.get('call-id')).not.toBe(first.headers.get('call-id'));
    const carrierSide = carrierAnswers(carrierB, second);
    const ok = await agent.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    const browserSide = browserAcks(agent, call, ok);
    await carrierB.request('ACK');
    sendInDialog(agent, browserSide, 'BYE', 2);
    const bye = await carrierB.request('BYE');
    expect(bye.headers.get('call-id')).toBe(carrierSide.callId);
    carrierB.answer(bye, 200, 'OK');
    expect(await recordOf(call.callId)).toMatchObject({ trunk: 'Carrier B', disposition: 'answered' });
  });

  it('every trunk fails: the phone hears which trunk said what', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const first = await carrierA.request('INVITE');
    carrierA.answer(first, 503, 'Service Unavailable', { toTag: newTag() });
    const second = await carrierB.request('INVITE');
    carrierB.answer(second, 500, 'Server Error', { toTag: newTag() });
    const failed = await agent.response(call.callId, 'INVITE');
    expect(failed.status).toBe(503);
    expect(failed.reason).toBe('No trunk could carry the call: Carrier B: 500 Server Error');
    await carrierA.request('ACK');
    await carrierB.request('ACK');
  });

  it('a registering trunk: From is the account, the caller ID asserted, the carrier’s 407 answered', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', '+49401234567');
    const first = await carrierC.request('INVITE');
    expect(userOf(first.uri)).toBe('+49401234567');
    expect(userOf(uriOf(first.headers.get('from')))).toBe('acme');
    expect(first.headers.get('p-asserted-identity')).toContain(CALLER_ID);
    const nonce = 'n0nce4711';
    carrierC.answer(first, 407, 'Proxy Authentication Required', {
      toTag: newTag(),
      headers: [
        ['Proxy-Authenticate', `Digest realm="carrier.test", nonce="${nonce}", qop="auth", algorithm=MD5`],
      ],
    });
    await carrierC.request('ACK');
    const second = await carrierC.request('INVITE');
    expect(second.headers.get('call-id')).toBe(first.headers.get('call-id'));
    expect(second.headers.get('cseq')).toBe('2 INVITE');
    const credentials = second.headers.get('proxy-authorization') ?? '';
    const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(credentials)?.[1] ?? '';
    expect(param('username')).toBe('acme');
    const ha1 = md5(`acme:carrier.test:carrier secret`);
    const ha2 = md5(`INVITE:${param('uri')}`);
    expect(param('response')).toBe(md5(`${ha1}:${nonce}:${param('nc')}:${param('cnonce')}:auth:${ha2}`));
    const carrierSide = carrierAnswers(carrierC, second);
    const ok = await agent.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    const browserSide = browserAcks(agent, call, ok);
    await carrierC.request('ACK');
    sendInDialog(agent, browserSide, 'BYE', 2);
    const bye = await carrierC.request('BYE');
    expect(bye.headers.get('call-id')).toBe(carrierSide.callId);
    carrierC.answer(bye, 200, 'OK');
  });

  it('CANCEL before the answer: the carrier leg is cancelled, the phone gets 487', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    carrierA.answer(atCarrier, 180, 'Ringing', { toTag: newTag() });
    await agent.next((m) => m.kind === 'response' && m.status === 180);
    sendCancel(agent, call);
    expect((await agent.response(call.callId, 'CANCEL')).status).toBe(200);
    expect((await agent.response(call.callId, 'INVITE')).status).toBe(487);
    await phoneCancelled(carrierA, atCarrier);
    await carrierA.request('ACK');
    expect(await recordOf(call.callId)).toMatchObject({
      disposition: 'missed',
      reason: 'Cancelled by caller',
    });
  });

  it('customer → agent: the assigned user’s phone rings with the caller’s number; the customer hangs up', async () => {
    const agent = await online('agent2');
    const { callId, from } = customerCalls(OUR_NUMBER);
    const atPhone = await agent.request('INVITE');
    expect(atPhone.headers.get('from')).toContain('"+4917612345"');
    expect(atPhone.headers.get('call-id')).not.toBe(callId);
    const offer = bodyOf(atPhone);
    expect(offer).toContain('UDP/TLS/RTP/SAVPF');
    const mid = midOf(offer);
    const phoneTag = newTag();
    agent.answer(atPhone, 180, 'Ringing', { toTag: phoneTag });
    expect((await carrierA.response(callId, 'INVITE', false)).status).toBe(180);
    agent.answer(atPhone, 200, 'OK', {
      toTag: phoneTag,
      headers: [
        ['Contact', agent.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumAnswer(mid),
    });
    const ok = await carrierA.response(callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('RTP/AVP');
    expect(bodyOf(ok)).not.toContain('a=ice-ufrag');
    expect((await agent.request('ACK')).headers.get('call-id')).toBe(atPhone.headers.get('call-id'));
    const carrierDialog = { from, to: ok.headers.get('to') ?? '', target: uriOf(ok.headers.get('contact')) };
    carrierA.send({ method: 'ACK', uri: carrierDialog.target, from, to: carrierDialog.to, callId, cseq: 1 });

    const live = server.edge.control.liveDialogs();
    expect(live[0]).toMatchObject({
      state: 'answered',
      caller: { displayName: '+4917612345', userId: null },
    });
    expect(live[0]?.callee.username).toBe('agent2');

    carrierA.send({ method: 'BYE', uri: carrierDialog.target, from, to: carrierDialog.to, callId, cseq: 2 });
    const bye = await agent.request('BYE');
    // The edge's INVITE to the phone was CSeq 1: its BYE continues the sequence.
    expect(bye.headers.get('cseq')).toBe('2 BYE');
    agent.answer(bye, 200, 'OK');
    expect((await carrierA.response(callId, 'BYE')).status).toBe(200);
    expect(await recordOf(callId)).toMatchObject({
      direction: 'inbound',
      number: '+4917612345',
      trunk: 'Carrier A',
      disposition: 'answered',
    });
  });

  it('a number nobody has here: 404 Not in service', async () => {
    const callId = newCallId();
    carrierA.send({
      method: 'INVITE',
      uri: `sip:+4930999999@127.0.0.1:${server.sip.udp}`,
      from: `<sip:+4917612345@127.0.0.1>;tag=${newTag()}`,
      to: '<sip:+4930999999@127.0.0.1>',
      callId,
      cseq: 1,
      body: plainOffer(41000),
    });
    const refused = await carrierA.response(callId, 'INVITE');
    expect(refused.status).toBe(404);
    expect(refused.reason).toBe('Not in service');
  });

  it('IP authentication: an INVITE to a number from an address that is no trunk is refused 403', async () => {
    const stranger = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.3');
    try {
      const callId = newCallId();
      stranger.send({
        method: 'INVITE',
        uri: `sip:${OUR_NUMBER}@127.0.0.1:${server.sip.udp}`,
        from: `<sip:+4917612345@127.0.0.3>;tag=${newTag()}`,
        to: `<sip:${OUR_NUMBER}@127.0.0.1>`,
        callId,
        cseq: 1,
        body: plainOffer(41000),
      });
      const refused = await stranger.response(callId, 'INVITE');
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe(NOT_A_TRUNK_REASON);
    } finally {
      stranger.close();
    }
  });

  it('profile gates: no `external` refuses national numbers, no `international` other countries', async () => {
    const supervisor = await online('supervisor');
    const national = dial(supervisor, 'supervisor', '030123456');
    const refused = await supervisor.response(national.callId, 'INVITE');
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe(`Your profile does not allow calls to outside numbers (${CUSTOMER})`);

    const agent = await online('agent1');
    const abroad = dial(agent, 'agent1', '0044 20 7946 0000'.replace(/ /g, ''));
    const refusedAbroad = await agent.response(abroad.callId, 'INVITE');
    expect(refusedAbroad.status).toBe(403);
    expect(refusedAbroad.reason).toBe('Your profile does not allow international calls (+442079460000)');
    expect(await recordOf(abroad.callId)).toMatchObject({ disposition: 'refused', direction: 'outbound' });
  });
  it('the agent’s connection drops and does not come back: after the grace period the customer gets BYE', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    const carrierSide = carrierAnswers(carrierA, atCarrier);
    browserAcks(agent, call, await agent.response(call.callId, 'INVITE'));
    await carrierA.request('ACK');
    const dropped = Date.now();
    agent.terminate();
    const bye = await carrierA.request('BYE', 5000);
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(1400);
    expect(bye.headers.get('call-id')).toBe(carrierSide.callId);
    carrierA.answer(bye, 200, 'OK');
    expect(await recordOf(call.callId)).toMatchObject({
      disposition: 'answered',
      reason: 'agent1 lost the connection',
    });
  });

  it('the agent reconnects within the grace period: its ICE-restart re-INVITE reaches the carrier', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    const carrierSide = carrierAnswers(carrierA, atCarrier);
    const browserSide = browserAcks(agent, call, await agent.response(call.callId, 'INVITE'));
    await carrierA.request('ACK');
    agent.terminate();
    await new Promise((r) => setTimeout(r, 300));
    const again = await online('agent1', { host: agent.host, contactUser: agent.contactUser });
    sendInDialog(again, browserSide, 'INVITE', 2, {
      headers: [
        ['Contact', again.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer.replace('a=ice-ufrag:Vq3X', 'a=ice-ufrag:Zr8Q'),
    });
    const reinvite = await carrierA.request('INVITE');
    expect(reinvite.headers.get('call-id')).toBe(carrierSide.callId);
    carrierA.answer(reinvite, 200, 'OK', {
      headers: [['Contact', carrierA.contact]],
      body: plainAnswer(40000),
    });
    expect((await again.response(browserSide.callId, 'INVITE')).status).toBe(200);
    sendInDialog(again, browserSide, 'ACK', 2);
    // Past the grace period the call is still up; then the agent hangs up.
    await new Promise((r) => setTimeout(r, 1600));
    expect(server.edge.control.liveDialogs()).toHaveLength(1);
    sendInDialog(again, browserSide, 'BYE', 3);
    carrierA.answer(await carrierA.request('BYE'), 200, 'OK');
  });

  it('customer → group: every signed-in member rings, the first to answer takes it, the others are cancelled', async () => {
    const first = await online('agent1');
    const second = await online('agent3');
    const call = customerCalls(GROUP_NUMBER);
    const [atFirst, atSecond] = await Promise.all([first.request('INVITE'), second.request('INVITE')]);
    expect(bodyOf(atFirst)).toBe(bodyOf(atSecond));
    second.answer(atSecond, 180, 'Ringing', { toTag: newTag() });
    phoneAnswers(first, atFirst);
    const ok = await carrierA.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    const cancel = await second.request('CANCEL');
    second.answer(cancel, 200, 'OK');
    second.answer(atSecond, 487, 'Request Terminated', { toTag: newTag() });
    const to = ok.headers.get('to') ?? '';
    const target = uriOf(ok.headers.get('contact'));
    carrierA.send({ method: 'ACK', uri: target, from: call.from, to, callId: call.callId, cseq: 1 });
    expect(server.edge.control.liveDialogs()[0]?.callee.username).toBe('agent1');
    carrierA.send({ method: 'BYE', uri: target, from: call.from, to, callId: call.callId, cseq: 2 });
    first.answer(await first.request('BYE'), 200, 'OK');
    expect((await carrierA.response(call.callId, 'BYE')).status).toBe(200);
    expect(await recordOf(call.callId)).toMatchObject({
      direction: 'inbound',
      toName: 'floor_1',
      disposition: 'answered',
    });
  });

  it('customer → agent, cancelled by the carrier before the answer: the phone stops ringing, 487', async () => {
    const agent = await online('agent2');
    const call = customerCalls(OUR_NUMBER);
    const atPhone = await agent.request('INVITE');
    agent.answer(atPhone, 180, 'Ringing', { toTag: newTag() });
    await carrierA.response(call.callId, 'INVITE', false);
    sendCancel(carrierA, call);
    expect((await carrierA.response(call.callId, 'CANCEL')).status).toBe(200);
    expect((await carrierA.response(call.callId, 'INVITE')).status).toBe(487);
    await phoneCancelled(agent, atPhone);
    expect(await recordOf(call.callId)).toMatchObject({ disposition: 'missed' });
  });

  it('customer → agent: the 200 is repeated until the carrier ACKs; the carrier’s re-INVITE reaches the phone', async () => {
    const agent = await online('agent2');
    const call = customerCalls(OUR_NUMBER);
    const atPhone = await agent.request('INVITE');
    phoneAnswers(agent, atPhone);
    const ok = await carrierA.response(call.callId, 'INVITE');
    // Not acknowledged: the edge sends the 200 again (T1 = 500 ms).
    const repeated = await carrierA.next(
      (m) => m.kind === 'response' && m.status === 200 && m.headers.get('call-id') === call.callId,
      2000,
    );
    expect(repeated.kind).toBe('response');
    const to = ok.headers.get('to') ?? '';
    const target = uriOf(ok.headers.get('contact'));
    carrierA.send({ method: 'ACK', uri: target, from: call.from, to, callId: call.callId, cseq: 1 });
    await agent.request('ACK');

    carrierA.send({
      method: 'INVITE',
      uri: target,
      from: call.from,
      to,
      callId: call.callId,
      cseq: 2,
      body: plainOffer(41002).replace('a=sendrecv', 'a=sendonly'),
    });
    const reinvite = await agent.request('INVITE');
    expect(reinvite.headers.get('call-id')).toBe(atPhone.headers.get('call-id'));
    expect(reinvite.headers.get('cseq')).toBe('2 INVITE');
    expect(bodyOf(reinvite)).toContain('UDP/TLS/RTP/SAVPF');
    const mid = midOf(bodyOf(reinvite));
    agent.answer(reinvite, 200, 'OK', {
      headers: [
        ['Contact', agent.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumAnswer(mid).replace('a=sendrecv', 'a=recvonly'),
    });
    const reok = await carrierA.next(
      (m) => m.kind === 'response' && m.headers.get('cseq') === '2 INVITE' && m.status === 200,
    );
    expect(bodyOf(reok as SipResponse)).toContain('RTP/AVP');
    expect((await agent.request('ACK')).headers.get('cseq')).toMatch(/ ACK$/);
    carrierA.send({ method: 'ACK', uri: target, from: call.from, to, callId: call.callId, cseq: 2 });
    carrierA.send({ method: 'BYE', uri: target, from: call.from, to, callId: call.callId, cseq: 3 });
    agent.answer(await agent.request('BYE'), 200, 'OK');
    expect((await carrierA.response(call.callId, 'BYE')).status).toBe(200);
  });

  it('nobody answers in SIP_NO_ANSWER_SECONDS: the carrier leg is cancelled and the phone gets 408', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    carrierA.answer(atCarrier, 180, 'Ringing', { toTag: newTag() });
    const timedOut = await agent.response(call.callId, 'INVITE', true, 5000);
    expect(timedOut.status).toBe(408);
    await phoneCancelled(carrierA, atCarrier);
    expect(await recordOf(call.callId)).toMatchObject({ disposition: 'missed', reason: 'No answer' });
  });
  it('lost on the way to the carrier: the INVITE and the BYE are sent again until answered', async () => {
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', CUSTOMER);
    const lost = await carrierA.request('INVITE');
    const again = await carrierA.request('INVITE', 2000);
    expect(again.headers.get('via')).toBe(lost.headers.get('via'));
    const carrierSide = carrierAnswers(carrierA, again);
    const browserSide = browserAcks(agent, call, await agent.response(call.callId, 'INVITE'));
    await carrierA.request('ACK');
    sendInDialog(agent, browserSide, 'BYE', 2);
    const lostBye = await carrierA.request('BYE');
    const byeAgain = await carrierA.request('BYE', 2000);
    expect(byeAgain.headers.get('via')).toBe(lostBye.headers.get('via'));
    expect(byeAgain.headers.get('call-id')).toBe(carrierSide.callId);
    carrierA.answer(byeAgain, 200, 'OK');
  });

  it('an operator monitors the agent’s trunk call: the agent’s phone gets the session; the customer hanging up ends both', async () => {
    const api = new ApiClient(server.url);
    expect((await api.signIn('operator', server.passwords.get('operator') ?? '')).status).toBe(200);
    const agent = await online('agent1', {}, `;${MIX_FEATURE_TAG}`);
    const call = dial(agent, 'agent1', CUSTOMER);
    const atCarrier = await carrierA.request('INVITE');
    const carrierSide = carrierAnswers(carrierA, atCarrier);
    browserAcks(agent, call, await agent.response(call.callId, 'INVITE'));
    await carrierA.request('ACK');
    const dialogId = server.edge.dialogs().find((d) => d.callId === call.callId)?.id ?? '';

    const board = await api.get<MonitorBoard>('/api/monitor/board');
    const member = board.body.members.find((m) => m.username === 'agent1');
    expect(member?.state).toBe('on_call');
    expect(member?.calls[0]?.peer).toEqual({ name: CUSTOMER, number: CUSTOMER });
    expect(member?.calls[0]?.checks.listen).toBeNull();

    const operator = await online('operator');
    const session = {
      callId: newCallId(),
      from: `<sip:operator@${domain()}>;tag=${newTag()}`,
      to: `<sip:1001@${domain()}>`,
    };
    operator.send({
      method: 'INVITE',
      uri: `sip:1001@${domain()}`,
      ...session,
      cseq: 1,
      headers: [
        ['Contact', operator.contact],
        ['X-Switchboard-Monitor', `listen;call="${dialogId}"`],
        ['Content-Type', 'application/sdp'],
      ],
      body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\n',
    });
    const atAgent = await agent.request('INVITE');
    expect(parseMonitorMark(atAgent.headers.get('x-switchboard-monitor'))).toMatchObject({
      mode: 'listen',
      callId: call.callId,
    });
    const tag = newTag();
    agent.answer(atAgent, 200, 'OK', { toTag: tag, headers: [['Contact', agent.contact]] });
    const ok = await operator.response(session.callId, 'INVITE');
    expect(ok.status).toBe(200);
    operator.send({
      method: 'ACK',
      uri: uriOf(ok.headers.get('contact')),
      from: session.from,
      to: ok.headers.get('to') ?? '',
      callId: session.callId,
      cseq: 1,
      headers: [['Route', `<sip:${domain()};transport=ws;lr>`]],
    });
    await agent.request('ACK');

    sendInDialog(carrierA, carrierSide, 'BYE', 1);
    const byes = [await agent.request('BYE'), await agent.request('BYE')];
    for (const bye of byes) agent.answer(bye, 200, 'OK');
    expect(byes.map((b) => b.headers.get('call-id')).sort()).toEqual([call.callId, session.callId].sort());
    operator.answer(await operator.request('BYE'), 200, 'OK');
    await server.edge.recordsIdle();
    const record = await recordOf(call.callId);
    expect(record?.monitoring).toHaveLength(1);
  });
});

describe('trunk calls without rtpengine or without a trunk', () => {
  let server: EdgeTestServer;
  const clients: RawSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);

  beforeAll(async () => {
    server = await startEdgeServer({
      defaultCountryCode: '49',
      sipUdpPort: 0,
      sipTcpPort: 0,
      rtpengine: loadConfig({ LOG_LEVEL: 'error', RTPENGINE: 'off' }).rtpengine,
    });
    await setProfileFlags(server, 'agents', ['call', 'external']);
    await server.deps.directory.settled();
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await server?.stop();
  });

  it('says that no trunk can call the number, then that the media bridge is missing', async () => {
    const agent = await online('agent1');
    const dial = () => agent.response(browserDials(agent, domain(), 'agent1', '030123456').callId, 'INVITE');
    const noTrunk = await dial();
    expect(noTrunk.status).toBe(503);
    expect(noTrunk.reason).toBe(`No trunk can call ${CUSTOMER}: ask your administrator to add one`);

    await addTrunk(server, { name: 'Carrier', port: 5090, numberFormat: national });
    server.deps.events.publish({ entity: 'trunk', id: null });
    await trunksRouted(server, 1);
    const noBridge = await dial();
    expect(noBridge.status).toBe(503);
    const status = server.media.status();
    expect(status.state).toBe('off');
    // The phone says what the console says: the bridge's own sentence.
    expect(noBridge.reason).toBe(status.state === 'off' ? status.problem.replace(/\.$/, '') : '');
    expect(noBridge.reason).toBe(
      'Trunk calls are off here (RTPENGINE=off): set RTPENGINE=spawn or host:port',
    );
  });
});
