import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MyAgentState } from '../../contracts/agent-states';
import type { DeviceCreated } from '../../contracts/devices';
import type { PhoneNumber } from '../../contracts/numbers';
import type { Queue } from '../../contracts/queues';
import type { Flag } from '../../contracts/profiles';
import { plainAnswer, plainOffer } from '../../server/media/rtpengine/sample-sdp.fixture';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import type { ApiClient } from '../api/support/api-client';
import type { EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import type { RawSocketSipClient } from './raw-socket-client';
import {
  answered,
  answerWith,
  calleeDialog,
  callerDialog,
  carrierAnswers,
  carrierCalls,
  phoneAnswers,
  sendInDialog,
} from './support/call-steps';
import {
  addDeskPhone,
  credentialsOf,
  deskDials as dialFromDesk,
  registeredDesk,
} from './support/desk-phones';
import { signInAll } from './support/signed-in';
import { isInvite } from './support/sip-text';
import {
  addTrunk,
  recordOf as recordIn,
  rtpengineInstalled,
  setProfileFlags,
  startTrunkEdge,
  trunkCaseOver,
  trunksRouted,
  userIdOf,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled(
  "Skipped: desk phones' trunk calls need rtpengine (Debian's rtpengine-daemon).",
);

const CUSTOMER = '+4930123456';
const USER_NUMBER = '+4930777000';
const QUEUE_NUMBER = '+4930777200';
/** The carrier (an IP-authenticated trunk) is on 127.0.0.2; the phones speak from 127.0.0.1. */
const CARRIER_ADDRESS = '127.0.0.2';
const CARRIER_OFFER_PORT = 41000;
const CARRIER_ANSWER_PORT = 41010;
const DESK_OFFER_PORT = 42000;
const DESK_ANSWER_PORT = 42010;

/** The audio address of an SDP: its connection address and its m=audio port and profile. */
function audioOf(body: unknown): { address: string; port: number; profile: string } {
  const text = String(body);
  const media = /m=audio ([0-9]+) (\S+) /.exec(text);
  return {
    address: /c=IN IP4 (\S+)/.exec(text)?.[1] ?? '',
    port: Number(media?.[1] ?? 0),
    profile: media?.[2] ?? '',
  };
}

/**
 * Desk phones (a user's `sip_phone` devices, over UDP with their own credentials) in trunk calls,
 * on the running server with rtpengine and a carrier played over raw UDP: a carrier's call to a
 * user rings their browser and desk phone at once; a desk phone dials out through the trunk under
 * its owner's profile; a queue's carrier call reaches an agent who has only a desk phone. The SDPs
 * each side gets name rtpengine's ports, plain RTP (RTP/AVP, no ICE) toward desk phones and the
 * carrier. No rtpengine call is left after any case.
 */
describe.skipIf(!installed)('desk phones in trunk calls (raw SIP, rtpengine)', () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let queue: Queue;
  const browsers: RawSipClient[] = [];
  const desks: RawSocketSipClient[] = [];
  /** Desk phones made by a case: removed after it (which signs them out), so later cases ring none of them. */
  const devices: { userId: number; deviceId: number }[] = [];
  const api = new Map<string, ApiClient>();
  const client = (user: string) => api.get(user) as ApiClient;
  const { domain, online: browserOf } = rawDialogs(() => server, browsers);

  /** rtpengine's media address and ports, as the SDPs it rewrites must show them. */
  function expectRtpengine(body: unknown, notPort: number) {
    const audio = audioOf(body);
    const { min, max } = server.config.rtpengine.ports;
    expect(audio.address).toBe('127.0.0.1');
    expect(audio.port).toBeGreaterThanOrEqual(min);
    expect(audio.port).toBeLessThanOrEqual(max);
    expect(audio.port).not.toBe(notPort);
  }

  /** Plain RTP as a desk phone or a carrier speaks it: RTP/AVP, G.711, no ICE and no DTLS. */
  function expectPlain(body: unknown) {
    const text = String(body);
    expect(audioOf(text).profile).toBe('RTP/AVP');
    expect(text).not.toMatch(/a=ice-ufrag|a=candidate|a=fingerprint|a=setup/);
    expect(text).toMatch(/PCMU|PCMA/);
  }

  const idOf = (username: string) => userIdOf(server, username);

  /** A desk phone made for `user` through the API and registered over UDP with its own credentials. */
  async function deskOf(
    user: string,
    transport: 'udp' | 'tcp' = 'udp',
  ): Promise<{ desk: RawSocketSipClient; created: DeviceCreated }> {
    const created = await addDeskPhone(client('admin'), await idOf(user), `Desk of ${user}`);
    devices.push({ userId: created.device.userId, deviceId: created.device.id });
    const desk = await registeredDesk(server, desks, credentialsOf(created), transport);
    return { desk, created };
  }

  /** The customer's INVITE from the carrier to one of our numbers. */
  const customerCalls = (number: string) =>
    carrierCalls(carrier, server, number, {
      customer: CUSTOMER,
      address: CARRIER_ADDRESS,
      port: CARRIER_OFFER_PORT,
    });

  /** The desk phone rings and answers with its plain RTP answer; returns its To tag. */
  const deskAnswers = (desk: RawSocketSipClient, invite: SipRequest) =>
    answerWith(desk, invite, plainAnswer(DESK_ANSWER_PORT));

  /** The carrier ACKs the edge's 200 and later hangs up; the desk phone answers the BYE it gets. */
  async function carrierAcksAndHangsUp(
    call: { callId: string; from: string },
    ok: SipResponse,
    desk: RawSocketSipClient,
  ) {
    const dialog = callerDialog(call, ok);
    sendInDialog(carrier, dialog, 'ACK', 1);
    sendInDialog(carrier, dialog, 'BYE', 2);
    const bye = await desk.request('BYE');
    desk.answer(bye, 200, 'OK');
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
  }

  /** The desk phone's INVITE to `dialled`; over UDP it answers the edge's 407 as a desk phone does. */
  const deskDials = (desk: RawSocketSipClient, created: DeviceCreated, dialled: string) =>
    dialFromDesk(desk, credentialsOf(created), domain(), dialled, plainOffer(DESK_OFFER_PORT));

  const recordOf = (callId: string) => recordIn(server, callId);

  async function setAgentsFlags(flags: Flag[]) {
    await setProfileFlags(server, 'agents', flags);
    await server.deps.directory.settled();
  }

  beforeAll(async () => {
    server = await startTrunkEdge({ sipNoAnswerMs: 5000 });
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, CARRIER_ADDRESS);
    await addTrunk(server, { name: 'Carrier A', host: CARRIER_ADDRESS, port: carrier.port });
    server.deps.events.publish({ entity: 'trunk', id: null });
    await signInAll(server, api, ['admin', 'agent3']);
    const toUser = await client('admin').post<PhoneNumber>('/api/numbers', {
      json: { number: USER_NUMBER, assignment: { kind: 'user', userId: await idOf('agent2') } },
    });
    expect(toUser.status, toUser.text).toBe(201);
    const created = await client('admin').post<Queue>('/api/queues', {
      json: {
        name: 'desk_line',
        extension: '5960',
        members: [{ kind: 'user', userId: await idOf('agent3') }],
        ringSeconds: 5,
        wrapUpSeconds: 0,
        dispositions: [],
      },
    });
    expect(created.status, created.text).toBe(201);
    queue = created.body;
    const toQueue = await client('admin').post<PhoneNumber>('/api/numbers', {
      json: { number: QUEUE_NUMBER, assignment: { kind: 'queue', queueId: queue.id } },
    });
    expect(toQueue.status, toQueue.text).toBe(201);
    await setAgentsFlags(['call', 'transfer', 'external']);
    await server.deps.contactCenter.source.settled();
    await trunksRouted(server, 1);
  });

  afterEach(async () => {
    for (const { userId, deviceId } of devices.splice(0))
      expect((await client('admin').delete(`/api/users/${userId}/devices/${deviceId}`)).status).toBe(204);
    for (const desk of desks.splice(0)) desk.close();
    // No rtpengine call is left behind by any case (ng `list`).
    await trunkCaseOver(server, browsers);
  });

  afterAll(async () => {
    await server?.stop();
    carrier?.close();
  });

  it('carrier → user: the browser and the desk phone ring at once, the desk phone answers with plain RTP, the browser is cancelled as answered elsewhere', async () => {
    const { desk } = await deskOf('agent2');
    const browser = await browserOf('agent2');
    const call = customerCalls(USER_NUMBER);
    const [atBrowser, atDesk] = await Promise.all([browser.request('INVITE'), desk.request('INVITE')]);
    // The browser gets WebRTC, the desk phone plain RTP; both from rtpengine, not the carrier's address.
    expect(String(atBrowser.body)).toContain('UDP/TLS/RTP/SAVPF');
    expect(String(atBrowser.body)).toMatch(/a=ice-ufrag/);
    expectPlain(atDesk.body);
    expectRtpengine(atDesk.body, CARRIER_OFFER_PORT);
    expect(atDesk.headers.get('call-id')).toBe(atBrowser.headers.get('call-id'));
    expect(atDesk.headers.get('from')).toContain(`"${CUSTOMER}"`);
    // While both ring rtpengine holds one call per kind of phone.
    expect(await server.media.list()).toHaveLength(2);

    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    deskAnswers(desk, atDesk);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expectPlain(ok.body);
    expectRtpengine(ok.body, DESK_ANSWER_PORT);
    expect((await desk.request('ACK')).headers.get('call-id')).toBe(atDesk.headers.get('call-id'));
    const cancel = await browser.request('CANCEL');
    expect(cancel.headers.get('reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    browser.answer(cancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated');
    // The browser's rtpengine call is gone, the desk phone's carries the call.
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toHaveLength(1);
    const live = server.edge.control.liveDialogs();
    expect(live).toHaveLength(1);
    expect(live[0]?.callee.username).toBe('agent2');

    await carrierAcksAndHangsUp(call, ok, desk);
    expect(await recordOf(call.callId)).toMatchObject({
      direction: 'inbound',
      number: CUSTOMER,
      toUserId: await idOf('agent2'),
      disposition: 'answered',
    });
  });

  it('desk phone → outside number: out through the trunk under its owner, plain RTP both ways through rtpengine, the 200 repeated until its ACK; hold and BYE from the desk phone', async () => {
    const { desk, created } = await deskOf('agent1');
    const dialled = await deskDials(desk, created, '030123456');
    const atCarrier = await carrier.request('INVITE');
    expect(atCarrier.uri).toContain(CUSTOMER);
    expect(atCarrier.headers.get('call-id')).not.toBe(dialled.callId);
    expectPlain(atCarrier.body);
    expectRtpengine(atCarrier.body, DESK_OFFER_PORT);

    // The edge's first 200 is lost on the way to the desk phone (UDP): it is sent again.
    const isOk = (m: SipMessage) =>
      m.kind === 'response' && m.status === 200 && m.headers.get('call-id') === dialled.callId;
    desk.dropNext(isOk);
    carrierAnswers(carrier, atCarrier, CARRIER_ANSWER_PORT);
    expect((await desk.response(dialled.callId, 'INVITE', false)).status).toBe(180);
    const ok = await desk.response(dialled.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(desk.count(isOk)).toBe(2);
    expectPlain(ok.body);
    expectRtpengine(ok.body, CARRIER_ANSWER_PORT);
    await carrier.request('ACK');
    expect(await server.media.list()).toHaveLength(1);
    const live = server.edge.control.liveDialogs();
    expect(live[0]?.caller.username).toBe('agent1');
    expect(live[0]?.callee.displayName).toBe(CUSTOMER);

    const deskSide = callerDialog(dialled, ok);
    sendInDialog(desk, deskSide, 'ACK', 2);
    // The ACK stops the repeats (the next would have come 1 s after the second).
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(desk.count(isOk)).toBe(2);

    // Hold from the desk phone: its re-INVITE reaches the carrier as the edge's, plain RTP both ways.
    sendInDialog(desk, deskSide, 'INVITE', 3, {
      headers: [
        ['Contact', desk.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: plainOffer(DESK_OFFER_PORT).replace('a=sendrecv', 'a=sendonly'),
    });
    const reinvite = await carrier.request('INVITE');
    expect(reinvite.headers.get('call-id')).toBe(atCarrier.headers.get('call-id'));
    expectPlain(reinvite.body);
    expect(String(reinvite.body)).toContain('a=sendonly');
    carrier.answer(reinvite, 200, 'OK', {
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(CARRIER_ANSWER_PORT).replace('a=sendrecv', 'a=recvonly'),
    });
    await carrier.request('ACK');
    const held = await desk.response(dialled.callId, 'INVITE');
    expect(held.headers.get('cseq')).toBe('3 INVITE');
    expectPlain(held.body);
    expect(String(held.body)).toContain('a=recvonly');
    sendInDialog(desk, deskSide, 'ACK', 3);

    sendInDialog(desk, deskSide, 'BYE', 4);
    expect((await desk.response(dialled.callId, 'BYE')).status).toBe(200);
    const bye = await carrier.request('BYE');
    expect(bye.headers.get('call-id')).toBe(atCarrier.headers.get('call-id'));
    carrier.answer(bye, 200, 'OK');
    expect(await recordOf(dialled.callId)).toMatchObject({
      direction: 'outbound',
      number: CUSTOMER,
      fromUserId: await idOf('agent1'),
      trunk: 'Carrier A',
      disposition: 'answered',
    });
  });

  it('desk phone over TCP → outside number: out through the trunk, plain RTP both ways; the customer hangs up', async () => {
    const { desk, created } = await deskOf('agent1', 'tcp');
    const dialled = await deskDials(desk, created, CUSTOMER);
    const atCarrier = await carrier.request('INVITE');
    expectPlain(atCarrier.body);
    expectRtpengine(atCarrier.body, DESK_OFFER_PORT);
    const carrierSide = carrierAnswers(carrier, atCarrier, CARRIER_ANSWER_PORT);
    const ok = await desk.response(dialled.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expectPlain(ok.body);
    expectRtpengine(ok.body, CARRIER_ANSWER_PORT);
    await carrier.request('ACK');
    sendInDialog(desk, callerDialog(dialled, ok), 'ACK', 1);
    // The customer hangs up: the carrier's BYE reaches the desk phone as the edge's.
    const carrierCallId = carrierSide.callId;
    sendInDialog(carrier, carrierSide, 'BYE', 1);
    const bye = await desk.request('BYE');
    expect(bye.headers.get('call-id')).toBe(dialled.callId);
    desk.answer(bye, 200, 'OK');
    expect((await carrier.response(carrierCallId, 'BYE')).status).toBe(200);
    expect(await recordOf(dialled.callId)).toMatchObject({
      direction: 'outbound',
      fromUserId: await idOf('agent1'),
      disposition: 'answered',
    });
  });

  it("carrier → user, then a blind transfer to a colleague's desk phone: its offer goes to the carrier as plain RTP, rtpengine's answer comes back in the ACK", async () => {
    const browser = await browserOf('agent2');
    const { desk } = await deskOf('agent3');
    const call = customerCalls(USER_NUMBER);
    const atBrowser = await browser.request('INVITE');
    const browserTag = phoneAnswers(browser, atBrowser, false);
    const { dialog: carrierSide } = await answered(carrier, call);
    await browser.request('ACK');
    sendInDialog(carrier, carrierSide, 'ACK', 1);

    // Agent Two transfers the customer to extension 1003 (agent3, only a desk phone).
    const phoneLeg = calleeDialog(atBrowser, browserTag);
    sendInDialog(browser, phoneLeg, 'REFER', 1, { headers: [['Refer-To', `<sip:1003@${domain()}>`]] });
    expect((await browser.response(phoneLeg.callId, 'REFER')).status).toBe(202);
    const trying = await browser.request('NOTIFY');
    browser.answer(trying, 200, 'OK');

    const atDesk = await desk.request('INVITE');
    expect(String(atDesk.body)).toBe('');
    // No offer came: the desk phone's answer carries its own.
    answerWith(desk, atDesk, plainOffer(DESK_OFFER_PORT), false);
    const moved = await carrier.request('INVITE');
    expect(moved.headers.get('call-id')).toBe(call.callId);
    expectPlain(moved.body);
    expectRtpengine(moved.body, DESK_OFFER_PORT);
    carrier.answer(moved, 200, 'OK', {
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(CARRIER_ANSWER_PORT),
    });
    await carrier.request('ACK');
    const ack = await desk.request('ACK');
    expectPlain(ack.body);
    expectRtpengine(ack.body, CARRIER_ANSWER_PORT);
    for (;;) {
      // The rest of the transfer's NOTIFYs, then the edge hangs the transferring phone up.
      const next = await browser.next(
        (m) => m.kind === 'request' && (m.method === 'NOTIFY' || m.method === 'BYE'),
      );
      if (next.kind !== 'request') continue;
      browser.answer(next, 200, 'OK');
      if (next.method === 'BYE') break;
    }
    expect(server.edge.control.liveDialogs().map((d) => d.callee.username)).toEqual(['agent3']);
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toHaveLength(1);

    // The customer hangs up: the desk phone gets BYE.
    sendInDialog(carrier, carrierSide, 'BYE', 3);
    const bye = await desk.request('BYE');
    desk.answer(bye, 200, 'OK');
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    expect(await recordOf(call.callId)).toMatchObject({
      toUserId: await idOf('agent3'),
      disposition: 'answered',
    });
  });

  it("desk phone → outside number without the profile's external flag: 403 with the sentence, nothing to the carrier", async () => {
    await setAgentsFlags(['call', 'transfer']);
    try {
      const { desk, created } = await deskOf('agent1');
      const before = carrier.requests.filter(isInvite).length;
      const dialled = await deskDials(desk, created, '030123456');
      const refused = await desk.response(dialled.callId, 'INVITE');
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe(`Your profile does not allow calls to outside numbers (${CUSTOMER})`);
      expect(carrier.requests.filter(isInvite).length).toBe(before);
      expect(await recordOf(dialled.callId)).toMatchObject({ direction: 'outbound', disposition: 'refused' });
    } finally {
      await setAgentsFlags(['call', 'transfer', 'external']);
    }
  });

  it('carrier → queue: an Available agent with only a desk phone is offered the call on it and takes it', async () => {
    const { desk } = await deskOf('agent3');
    const stateOf = async () => (await client('agent3').get<MyAgentState>('/api/me/state')).body;
    const available = await client('agent3').put('/api/me/state', { json: { action: 'available' } });
    expect(available.status, available.text).toBe(200);
    expect((await stateOf()).state).toBe('available');

    const call = customerCalls(QUEUE_NUMBER);
    const atDesk = await desk.request('INVITE');
    expectPlain(atDesk.body);
    expectRtpengine(atDesk.body, CARRIER_OFFER_PORT);
    expect((await stateOf()).state).toBe('ringing');
    deskAnswers(desk, atDesk);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expectPlain(ok.body);
    expectRtpengine(ok.body, DESK_ANSWER_PORT);
    await desk.request('ACK');
    expect((await stateOf()).state).toBe('on_call');
    expect(server.edge.control.liveDialogs()[0]?.callee.username).toBe('agent3');

    await carrierAcksAndHangsUp(call, ok, desk);
    // No wrap-up in this queue: back to Available, never Not ready for a missed call.
    await expect.poll(async () => (await stateOf()).state, { timeout: 3000 }).toBe('available');
    expect(await recordOf(call.callId)).toMatchObject({ direction: 'inbound', disposition: 'answered' });
  });
});
