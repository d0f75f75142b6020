import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOffer, plainAnswer } from '../../server/media/rtpengine/sample-sdp.fixture';
import { ATTENDED_REFUSAL, NUMBER_REFUSAL } from '../../server/sip/bridge/bridge-transfer';
import type { SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import type { EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import {
  answered,
  browserAcks,
  browserDials,
  calleeDialog,
  carrierAnswers,
  carrierCalls,
  phoneAnswers,
  sendInDialog,
  type Dialog,
} from './support/call-steps';
import { bodyOf, portOf } from './support/sip-text';
import {
  addTrunk,
  assignNumberToUser,
  edgeSettled,
  recordOf as recordIn,
  rtpengineInstalled,
  setProfileFlags,
  startTrunkEdge,
  trunkCaseOver,
  userIdOf,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled(
  "Skipped: transfers of trunk calls need rtpengine (Debian's rtpengine-daemon).",
);

const CUSTOMER = '+4930123456';
const OUR_NUMBER = '+4930777000';

describe.skipIf(!installed)('transfer of trunk calls bridged by the edge (raw SIP)', () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  const clients: RawSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);
  const recordOf = (callId: string) => recordIn(server, callId);
  const userId = (username: string) => userIdOf(server, username);
  const inDialog = (
    client: RawSipClient,
    dialog: Dialog,
    method: string,
    cseq: number,
    headers: [string, string][] = [],
  ) => sendInDialog(client, dialog, method, cseq, { headers });

  beforeAll(async () => {
    server = await startTrunkEdge({ sipGraceMs: 1500, sipNoAnswerMs: 3000 });
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await addTrunk(server, {
      name: 'Carrier A',
      port: carrier.port,
      numberFormat: { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' },
    });
    await setProfileFlags(server, 'agents', ['call', 'transfer', 'external']);
    // Supervisors may call customers but not transfer them.
    await setProfileFlags(server, 'supervisors', ['call', 'external']);
    await assignNumberToUser(server, OUR_NUMBER, 'agent2');
    await edgeSettled(server, 1);
  });

  afterEach(() => trunkCaseOver(server, clients));

  afterAll(async () => {
    await server?.stop();
    carrier?.close();
  });

  /** `user` calls the customer and the carrier answers: both dialogs as their ends see them. */
  async function outboundCall(agent: RawSipClient, user: string) {
    const call = browserDials(agent, domain(), user, CUSTOMER);
    const invite = await carrier.request('INVITE');
    const atCarrier = carrierAnswers(carrier, invite);
    const { ok } = await answered(agent, call);
    await carrier.request('ACK');
    const phone = browserAcks(agent, call, ok);
    return { phone, carrier: atCarrier, carrierPort: portOf(bodyOf(invite)) };
  }

  /** The customer calls OUR_NUMBER (agent2's) and `agent` answers: both dialogs. */
  async function inboundCall(agent: RawSipClient) {
    const call = carrierCalls(carrier, server, OUR_NUMBER);
    const atPhone = await agent.request('INVITE');
    const phoneTag = phoneAnswers(agent, atPhone, false);
    const { ok, dialog: atCarrier } = await answered(carrier, call);
    await agent.request('ACK');
    sendInDialog(carrier, atCarrier, 'ACK', 1);
    return { phone: calleeDialog(atPhone, phoneTag), carrier: atCarrier, carrierPort: portOf(bodyOf(ok)) };
  }

  async function refer(
    client: RawSipClient,
    dialog: Dialog,
    cseq: number,
    referTo: string,
  ): Promise<SipResponse> {
    inDialog(client, dialog, 'REFER', cseq, [
      ['Refer-To', referTo],
      ['Referred-By', `<sip:${dialog.from.split('@')[0]?.replace(/^<sip:/, '')}@${domain()}>`],
      ['Contact', client.contact],
    ]);
    return client.response(dialog.callId, 'REFER');
  }

  /** The next NOTIFY of the transfer, answered 200: its sipfrag's status line and subscription state. */
  async function notified(
    client: RawSipClient,
  ): Promise<{ frag: string; state: string; request: SipRequest }> {
    const request = await client.request('NOTIFY');
    client.answer(request, 200, 'OK');
    expect(request.headers.get('event')).toMatch(/^refer/);
    expect(request.headers.get('content-type')).toMatch(/^message\/sipfrag/);
    return { frag: bodyOf(request).trim(), state: request.headers.get('subscription-state') ?? '', request };
  }

  /** The target's phone: rings and answers the edge's offerless INVITE with an offer; its dialog. */
  async function targetAnswers(client: RawSipClient) {
    const invite = await client.request('INVITE');
    const tag = newTag();
    client.answer(invite, 180, 'Ringing', { toTag: tag });
    client.answer(invite, 200, 'OK', {
      toTag: tag,
      headers: [
        ['Contact', client.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer,
    });
    return { invite, dialog: calleeDialog(invite, tag) };
  }

  /** The carrier's re-INVITE moving the customer's media, answered; its offer. */
  async function carrierMoves(dialog: Dialog): Promise<string> {
    const reinvite = await carrier.request('INVITE');
    expect(reinvite.headers.get('call-id')).toBe(dialog.callId);
    carrier.answer(reinvite, 200, 'OK', {
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(40000),
    });
    await carrier.request('ACK');
    return bodyOf(reinvite);
  }

  it('blind transfer of an outbound call to another agent: NOTIFYs, the customer’s media moved to the new agent, one record naming it', async () => {
    const agent1 = await online('agent1');
    const agent3 = await online('agent3');
    const call = await outboundCall(agent1, 'agent1');
    const [before] = await server.media.list();

    const accepted = await refer(agent1, call.phone, 2, `<sip:agent3@${domain()}>`);
    expect(accepted.status).toBe(202);
    expect(await notified(agent1)).toMatchObject({ frag: 'SIP/2.0 100 Trying', state: 'active;expires=60' });

    const target = await targetAnswers(agent3);
    // The edge's INVITE names the customer and carries no offer: the target's phone makes it.
    expect(target.invite.headers.get('from')).toContain(CUSTOMER);
    expect(bodyOf(target.invite)).toBe('');
    expect((await notified(agent1)).frag).toBe('SIP/2.0 180 Ringing');

    // The carrier is re-INVITEd toward a new rtpengine call: plain RTP on new ports.
    const moved = await carrierMoves(call.carrier);
    expect(moved).toContain('RTP/AVP');
    expect(moved).not.toMatch(/a=ice-ufrag|a=fingerprint/);
    expect(portOf(moved)).not.toBe(call.carrierPort);
    // The target's phone gets the answer (WebRTC, from rtpengine) in the ACK.
    const ack = await agent3.request('ACK');
    expect(ack.headers.get('call-id')).toBe(target.dialog.callId);
    expect(bodyOf(ack)).toContain('UDP/TLS/RTP/SAVPF');
    expect(bodyOf(ack)).toMatch(/a=ice-ufrag/);

    const done = await notified(agent1);
    expect(done.frag).toBe('SIP/2.0 200 OK');
    expect(done.state).toMatch(/^terminated/);
    // The transferring phone hangs up after the success NOTIFY; the carrier keeps the customer.
    inDialog(agent1, call.phone, 'BYE', 3);
    expect((await agent1.response(call.phone.callId, 'BYE')).status).toBe(200);
    await expect(carrier.next((m) => m.kind === 'request' && m.method === 'BYE', 400)).rejects.toThrow();

    // One rtpengine call (a new one), one live call: Agent Three with the customer.
    const media = await server.media.list();
    expect(media).toHaveLength(1);
    expect(media[0]).not.toBe(before);
    const live = server.edge.control.liveDialogs();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ state: 'answered', caller: { displayName: CUSTOMER, userId: null } });
    expect(live[0]?.callee.username).toBe('agent3');

    // The customer hangs up: Agent Three gets the BYE.
    carrier.send({ ...call.carrier, uri: call.carrier.target, method: 'BYE', cseq: 2 });
    expect((await carrier.response(call.carrier.callId, 'BYE')).status).toBe(200);
    const bye = await agent3.request('BYE');
    expect(bye.headers.get('call-id')).toBe(target.dialog.callId);
    agent3.answer(bye, 200, 'OK');
    expect(await recordOf(call.phone.callId)).toMatchObject({
      direction: 'outbound',
      number: CUSTOMER,
      disposition: 'answered',
      fromUserId: await userId('agent1'),
      toUserId: await userId('agent3'),
      toName: 'Agent Three',
      reason: `Agent One transferred the call to Agent Three; Ended by ${CUSTOMER}`,
    });
  });

  it('a target not signed in, then a busy one: NOTIFY with the failure, the customer still with the agent', async () => {
    const agent1 = await online('agent1');
    const agent3 = await online('agent3');
    const call = await outboundCall(agent1, 'agent1');
    const [before] = await server.media.list();

    expect((await refer(agent1, call.phone, 2, `<sip:agent2@${domain()}>`)).status).toBe(202);
    expect((await notified(agent1)).frag).toBe('SIP/2.0 100 Trying');
    const absent = await notified(agent1);
    expect(absent.frag).toBe('SIP/2.0 480 Agent Two is not signed in');
    expect(absent.state).toMatch(/^terminated/);

    expect((await refer(agent1, call.phone, 3, `<sip:1003@${domain()}>`)).status).toBe(202);
    expect((await notified(agent1)).frag).toBe('SIP/2.0 100 Trying');
    const invite = await agent3.request('INVITE');
    agent3.answer(invite, 486, 'Busy Here', { toTag: newTag() });
    const busy = await notified(agent1);
    expect(busy.frag).toBe('SIP/2.0 486 Agent Three is busy');
    expect(busy.state).toMatch(/^terminated/);

    // Nothing moved: the same rtpengine call, and the agent's requests still reach the carrier.
    expect(await server.media.list()).toEqual([before]);
    inDialog(agent1, call.phone, 'INFO', 4, [['Content-Type', 'application/dtmf-relay']]);
    const info = await carrier.request('INFO');
    expect(info.headers.get('call-id')).toBe(call.carrier.callId);
    carrier.answer(info, 200, 'OK');
    expect((await agent1.response(call.phone.callId, 'INFO')).status).toBe(200);
    inDialog(agent1, call.phone, 'BYE', 5);
    const bye = await carrier.request('BYE');
    carrier.answer(bye, 200, 'OK');
    expect(await recordOf(call.phone.callId)).toMatchObject({
      disposition: 'answered',
      toUserId: null,
      reason: 'Ended by agent1',
    });
  });

  it('blind transfer of an inbound call by extension, the agent’s phone hanging up at the 202 as sip.js does', async () => {
    const agent2 = await online('agent2');
    const agent3 = await online('agent3');
    const call = await inboundCall(agent2);

    // The edge's requests on this leg continue after its INVITE's CSeq 1.
    inDialog(agent2, call.phone, 'REFER', 1, [['Refer-To', `<sip:1003@${domain()}>`]]);
    expect((await agent2.response(call.phone.callId, 'REFER')).status).toBe(202);
    const trying = await notified(agent2);
    expect(trying.frag).toBe('SIP/2.0 100 Trying');
    expect(trying.request.headers.get('cseq')).toBe('2 NOTIFY');
    inDialog(agent2, call.phone, 'BYE', 2);
    expect((await agent2.response(call.phone.callId, 'BYE')).status).toBe(200);

    const target = await targetAnswers(agent3);
    expect(target.invite.headers.get('from')).toContain('+4917612345');
    const moved = await carrierMoves(call.carrier);
    expect(moved).toContain('RTP/AVP');
    expect(bodyOf(await agent3.request('ACK'))).toContain('UDP/TLS/RTP/SAVPF');
    // The phone that left gets no further NOTIFY or BYE.
    expect(
      await agent2.nothing((m) => m.kind === 'request' && (m.method === 'NOTIFY' || m.method === 'BYE'), 300),
    ).toBe(true);
    expect(server.edge.control.liveDialogs().map((d) => d.callee.username)).toEqual(['agent3']);

    // Agent Three ends the call: the carrier gets BYE.
    inDialog(agent3, target.dialog, 'BYE', 2);
    expect((await agent3.response(target.dialog.callId, 'BYE')).status).toBe(200);
    const bye = await carrier.request('BYE');
    expect(bye.headers.get('call-id')).toBe(call.carrier.callId);
    carrier.answer(bye, 200, 'OK');
    expect(await recordOf(call.carrier.callId)).toMatchObject({
      direction: 'inbound',
      disposition: 'answered',
      toUserId: await userId('agent3'),
      reason: 'Agent Two transferred the call to Agent Three; Ended by agent3',
    });
  });

  it('the agent hung up at the 202 and the target does not answer: the customer rings the agent back', async () => {
    const agent1 = await online('agent1');
    const agent3 = await online('agent3');
    const call = await outboundCall(agent1, 'agent1');
    expect((await refer(agent1, call.phone, 2, `<sip:agent3@${domain()}>`)).status).toBe(202);
    inDialog(agent1, call.phone, 'BYE', 3);
    expect((await agent1.response(call.phone.callId, 'BYE')).status).toBe(200);
    const invite = await agent3.request('INVITE');
    agent3.answer(invite, 603, 'Decline', { toTag: newTag() });

    const back = await targetAnswers(agent1);
    expect(back.invite.headers.get('from')).toContain(CUSTOMER);
    await carrierMoves(call.carrier);
    expect(bodyOf(await agent1.request('ACK'))).toMatch(/a=ice-ufrag/);
    expect(server.edge.control.liveDialogs().map((d) => d.callee.username)).toEqual(['agent1']);
    inDialog(agent1, back.dialog, 'BYE', 2);
    expect((await agent1.response(back.dialog.callId, 'BYE')).status).toBe(200);
    carrier.answer(await carrier.request('BYE'), 200, 'OK');
    expect((await recordOf(call.phone.callId))?.reason).toBe(
      'Agent One transferred the call to Agent Three, who did not take it; it came back to Agent One; Ended by agent1',
    );
  });

  it('refusals: a profile without `transfer` gets 403, attended transfer and a phone number 501, each with its sentence', async () => {
    const supervisor = await online('supervisor');
    const call = await outboundCall(supervisor, 'supervisor');
    const refused = await refer(supervisor, call.phone, 2, `<sip:agent3@${domain()}>`);
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe('Your profile does not allow transferring calls');
    inDialog(supervisor, call.phone, 'BYE', 3);
    carrier.answer(await carrier.request('BYE'), 200, 'OK');

    const agent1 = await online('agent1');
    const other = await outboundCall(agent1, 'agent1');
    const attended = await refer(
      agent1,
      other.phone,
      2,
      `<sip:agent3@${domain()}?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>`,
    );
    expect(attended.status).toBe(501);
    expect(attended.reason).toBe(ATTENDED_REFUSAL);
    const number = await refer(agent1, other.phone, 3, `<sip:+4930999888@${domain()}>`);
    expect(number.status).toBe(501);
    expect(number.reason).toBe(NUMBER_REFUSAL);
    // The call is untouched.
    expect(server.edge.control.liveDialogs()).toHaveLength(1);
    inDialog(agent1, other.phone, 'BYE', 4);
    carrier.answer(await carrier.request('BYE'), 200, 'OK');
  });
});
