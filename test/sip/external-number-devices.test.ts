import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deviceCreatedSchema } from '../../contracts/devices';
import { chromiumAnswer, chromiumOffer, plainAnswer } from '../../server/media/rtpengine/sample-sdp.fixture';
import type { SipRequest } from '../../server/sip/message/sip-message';
import { changeProfileCredit, profileCreditOf } from '../../server/store/credit-repository';
import { insertNumber } from '../../server/store/numbers-repository';
import { callRecords, users } from '../../server/store/schema';
import { ApiClient } from '../api/support/api-client';
import type { EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import {
  browserDials,
  calleeDialog,
  callerDialog,
  carrierCalls,
  phoneCancelled,
  sendInDialog,
} from './support/call-steps';
import { bodyOf, inCall, isInvite, statusIn as provisional, uriOf, userOf } from './support/sip-text';
import {
  addPerSecondRate,
  addTrunk,
  dialogsEnded,
  edgeSettled,
  giveProfileCredit,
  recordsOf as recordsIn,
  rtpengineInstalled,
  setProfileFlags,
  startTrunkEdge,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled("Skipped: external numbers need rtpengine (Debian's rtpengine-daemon).");

const CUSTOMER = '+4930123456';
const OUR_NUMBER = '+4930777000';
const CALLER_ID = '+4930555000';
const MOBILE = '+4917012345678';
/** A national number no trunk routes (the trunk carries +4917 and +4930 only). */
const UNROUTED = '+4940123456';
const ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

describe.skipIf(!installed)("a user's external number rung beside their phones (raw SIP, rtpengine)", () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let admin: ApiClient;
  let agentsId = 0;
  let agent2Id = 0;
  let mobileId = 0;
  const clients: RawSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);
  const recordsOf = (callId: string) => recordsIn(server, callId);
  /** The server's info lines (it logs at info here); warnings and errors still reach stderr. */
  const infoLines: string[] = [];
  const writeStderr = process.stderr.write.bind(process.stderr);

  async function addExternalNumber(number: string): Promise<number> {
    const response = await admin.post(`/api/users/${agent2Id}/devices`, {
      json: { kind: 'external_number', name: 'Mobile', number },
    });
    expect(response.status, response.text).toBe(201);
    const created = deviceCreatedSchema.parse(response.body);
    await server.deps.events.publish({ entity: 'device', id: null });
    return created.device.id;
  }

  beforeAll(async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (/^\S+ INFO /.test(text)) infoLines.push(text);
      else writeStderr(chunk);
      return true;
    });
    server = await startTrunkEdge({ logLevel: 'info', sipNoAnswerMs: 4000 });
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await addTrunk(server, { name: 'Carrier', port: carrier.port, prefixes: ['+4917', '+4930'] });
    // Mobiles cost 0.60 a minute billed by the second: a cent a second.
    await addPerSecondRate(server, '+4917', 'German mobiles', 600_000);
    agentsId = await setProfileFlags(server, 'agents', ['call', 'external']);
    await giveProfileCredit(server, agentsId, 100);
    const [agent2] = await server.db.select().from(users).where(eq(users.username, 'agent2'));
    agent2Id = agent2?.id ?? 0;
    await insertNumber(server.db, {
      number: OUR_NUMBER,
      label: 'Sales',
      assignment: { kind: 'user', userId: agent2Id },
    });
    admin = new ApiClient(server.url);
    expect((await admin.signIn('admin', server.passwords.get('admin') ?? '')).status).toBe(200);
    mobileId = await addExternalNumber(MOBILE);
    await edgeSettled(server, 1);
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    await dialogsEnded(server, 6000);
    expect(server.edge.dialogs()).toEqual([]);
    // No rtpengine call is left behind by any case.
    await server.edge.trunkCalls.idle();
    await server.edge.externals?.idle();
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toEqual([]);
  });

  afterAll(async () => {
    await server?.stop();
    carrier?.close();
    vi.restoreAllMocks();
  });

  /** The customer's call from the carrier to agent2's number, with a plain RTP offer. */
  const customerCalls = () => carrierCalls(carrier, server, OUR_NUMBER, { customer: CUSTOMER });

  /** A colleague's browser calls agent2's extension. */
  const colleagueCalls = (client: RawSipClient) => browserDials(client, domain(), 'agent1', '1002');

  /** agent2's browser rings (180) with the edge's INVITE. */
  async function ringing(browser: RawSipClient): Promise<SipRequest> {
    const invite = await browser.request('INVITE');
    browser.answer(invite, 180, 'Ringing', { toTag: newTag() });
    return invite;
  }

  /** The mobile's INVITE at the carrier: to the external number, with the trunk's caller ID, plain RTP. */
  async function mobileInvite(): Promise<SipRequest> {
    const invite = await carrier.next((m) => isInvite(m) && m.kind === 'request' && userOf(m.uri) === MOBILE);
    if (invite.kind !== 'request') throw new Error('not a request');
    expect(userOf(uriOf(invite.headers.get('from')))).toBe(CALLER_ID);
    expect(bodyOf(invite)).toContain('RTP/AVP');
    expect(bodyOf(invite)).not.toMatch(/a=ice-ufrag|a=fingerprint/);
    return invite;
  }

  /** The mobile answers with plain RTP on `rtpPort`, after a 180 the caller hears when `rings` names its call; its tag. */
  async function mobileAnswers(
    atMobile: SipRequest,
    rtpPort: number,
    rings?: { callId: string },
  ): Promise<string> {
    const tag = newTag();
    if (rings) {
      carrier.answer(atMobile, 180, 'Ringing', { toTag: tag });
      await carrier.next(provisional(180, rings.callId));
    }
    carrier.answer(atMobile, 200, 'OK', {
      toTag: tag,
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(rtpPort),
    });
    return tag;
  }

  it('carrier → user: the browser and the mobile ring; the mobile answers, the browser is cancelled as answered elsewhere, the leg is charged', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = await ringing(browser);
    const atMobile = await mobileInvite();
    await mobileAnswers(atMobile, 42000, call);

    // The browser stops ringing: CANCEL saying the call was answered elsewhere.
    expect((await phoneCancelled(browser, atBrowser)).headers.get('reason')).toBe(ELSEWHERE);

    // The customer gets the mobile's answer as plain RTP from rtpengine, and ACKs.
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('RTP/AVP');
    expect(bodyOf(ok)).not.toContain('42000');
    const mobileCallId = atMobile.headers.get('call-id') ?? '';
    await carrier.next(inCall('ACK', mobileCallId));
    const customerLeg = callerDialog(call, ok);
    sendInDialog(carrier, customerLeg, 'ACK', 1);

    // Live: one answered call of agent2's, one channel of the agents profile.
    const live = server.edge.control.liveDialogs();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ state: 'answered', callee: { username: 'agent2' } });
    expect(server.edge.live.channelsInUse(agentsId)).toBe(1);

    await new Promise((r) => setTimeout(r, 1500));
    sendInDialog(carrier, customerLeg, 'BYE', 2);
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const bye = await carrier.next(inCall('BYE', mobileCallId));
    expect(bye.headers.get('reason')).toBe('SIP;cause=200;text="Call completed"');
    carrier.answer(bye as SipRequest, 200, 'OK');

    await expect
      .poll(async () => (await recordsOf(mobileCallId))[0]?.chargeMinor, { timeout: 3000 })
      .toBeGreaterThanOrEqual(1);
    const [leg] = await recordsOf(mobileCallId);
    expect(leg).toMatchObject({
      direction: 'outbound',
      number: MOBILE,
      trunk: 'Carrier',
      disposition: 'answered',
      fromUserId: agent2Id,
      callerProfileId: agentsId,
      chargeCurrency: 'EUR',
    });
    expect(await profileCreditOf(server.db, agentsId)).toBe(100 - (leg?.chargeMinor ?? 0));
    const inbound = await server.db.select().from(callRecords).where(eq(callRecords.number, CUSTOMER));
    expect(inbound.at(-1)).toMatchObject({
      direction: 'inbound',
      toUserId: agent2Id,
      disposition: 'answered',
    });
  });

  it('carrier → user on the mobile: the mobile hangs up and the customer gets BYE', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = await ringing(browser);
    const atMobile = await mobileInvite();
    const mobileCallId = atMobile.headers.get('call-id') ?? '';
    const mobileTag = await mobileAnswers(atMobile, 44000);
    await phoneCancelled(browser, atBrowser);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    sendInDialog(carrier, callerDialog(call, ok), 'ACK', 1);
    await carrier.next(inCall('ACK', mobileCallId));
    // The mobile's BYE, as the carrier sends it in the edge's dialog.
    sendInDialog(carrier, calleeDialog(atMobile, mobileTag), 'BYE', 1);
    expect((await carrier.response(mobileCallId, 'BYE')).status).toBe(200);
    const bye = await carrier.next(inCall('BYE', call.callId));
    carrier.answer(bye as SipRequest, 200, 'OK');
    const [leg] = await recordsOf(mobileCallId);
    expect(leg).toMatchObject({ disposition: 'answered', reason: "Ended on Agent Two's external number" });
  });

  it('carrier → user: the browser answers and the mobile leg is cancelled at the carrier', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: newTag() });
    await new Promise((r) => setTimeout(r, 100));
    const tag = newTag();
    browser.answer(atBrowser, 200, 'OK', {
      toTag: tag,
      headers: [
        ['Contact', browser.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumAnswer('0'),
    });
    const cancel = await carrier.next(inCall('CANCEL', atMobile.headers.get('call-id') ?? ''));
    expect(cancel.headers.get('reason')).toBe(ELSEWHERE);
    carrier.answer(cancel as SipRequest, 200, 'OK');
    carrier.answer(atMobile, 487, 'Request Terminated');

    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    const customerLeg = callerDialog(call, ok);
    sendInDialog(carrier, customerLeg, 'ACK', 1);
    sendInDialog(carrier, customerLeg, 'BYE', 2);
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const bye = (await browser.request('BYE')) as SipRequest;
    browser.answer(bye, 200, 'OK');
    expect(await recordsOf(atMobile.headers.get('call-id') ?? '')).toEqual([]);
  });

  it('the caller cancelling cancels the mobile leg', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = await ringing(browser);
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: newTag() });
    await carrier.next(provisional(180, call.callId));
    carrier.send({ ...call, method: 'CANCEL', cseq: 1 });
    const cancel = await carrier.next(inCall('CANCEL', atMobile.headers.get('call-id') ?? ''));
    carrier.answer(cancel as SipRequest, 200, 'OK');
    carrier.answer(atMobile, 487, 'Request Terminated');
    await phoneCancelled(browser, atBrowser);
    expect((await carrier.response(call.callId, 'INVITE')).status).toBe(487);
  });

  it('the ring timeout cancels the mobile leg with the phones, and the customer hears 480', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = await ringing(browser);
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: newTag() });
    const rangAt = Date.now();
    const cancel = await carrier.next(inCall('CANCEL', atMobile.headers.get('call-id') ?? ''), 8000);
    // sipNoAnswerMs is 4 s here.
    expect(Date.now() - rangAt).toBeGreaterThan(3000);
    carrier.answer(cancel as SipRequest, 200, 'OK');
    carrier.answer(atMobile, 487, 'Request Terminated');
    await phoneCancelled(browser, atBrowser);
    const final = await carrier.response(call.callId, 'INVITE');
    expect(final.status).toBe(480);
  });

  it('without credit, without the external flag, or without a route the mobile is not rung; the browser still is', async () => {
    const browser = await online('agent2');
    const notRung = () => infoLines.filter((line) => line.includes('is not rung'));
    const ringsOnlyTheBrowser = async (reason: string) => {
      const logged = notRung().length;
      const before = carrier.requests.filter((r) => r.method === 'INVITE').length;
      const call = customerCalls();
      const atBrowser = (await browser.request('INVITE')) as SipRequest;
      browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
      await carrier.next(provisional(180, call.callId));
      await new Promise((r) => setTimeout(r, 400));
      expect(carrier.requests.filter((r) => r.method === 'INVITE').length).toBe(before);
      browser.answer(atBrowser, 486, 'Busy Here', { toTag: newTag() });
      expect((await carrier.response(call.callId, 'INVITE')).status).toBe(486);
      // Said once, at info level, with the reason.
      expect(notRung().slice(logged)).toHaveLength(1);
      expect(notRung().at(-1)).toContain(`SIP edge: agent2's external number Mobile`);
      expect(notRung().at(-1)).toContain(reason);
    };

    // No credit: the first second (a cent) cannot be paid.
    const credit = await profileCreditOf(server.db, agentsId);
    await changeProfileCredit(server.db, agentsId, -credit);
    await ringsOnlyTheBrowser(`(${MOBILE}) is not rung: Your profile's credit (EUR 0.00) cannot pay`);
    await changeProfileCredit(server.db, agentsId, credit);

    // No `external` flag.
    await setProfileFlags(server, 'agents', ['call']);
    await server.deps.directory.settled();
    await ringsOnlyTheBrowser(
      `is not rung: Your profile does not allow calls to outside numbers (${MOBILE})`,
    );
    await setProfileFlags(server, 'agents', ['call', 'external']);
    await server.deps.directory.settled();

    // No trunk routes the number.
    expect((await admin.delete(`/api/users/${agent2Id}/devices/${mobileId}`)).status).toBe(204);
    const unrouted = await addExternalNumber(UNROUTED);
    await ringsOnlyTheBrowser(`(${UNROUTED}) is not rung: no trunk routes ${UNROUTED}`);
    expect((await admin.delete(`/api/users/${agent2Id}/devices/${unrouted}`)).status).toBe(204);
    mobileId = await addExternalNumber(MOBILE);
  });

  it('carrier → user with no phone signed in: the mobile alone rings and answers; the call is recorded as the user answering', async () => {
    const call = customerCalls();
    const atMobile = await mobileInvite();
    const mobileCallId = atMobile.headers.get('call-id') ?? '';
    await mobileAnswers(atMobile, 45000, call);
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('RTP/AVP');
    await carrier.next(inCall('ACK', mobileCallId));
    const customerLeg = callerDialog(call, ok);
    sendInDialog(carrier, customerLeg, 'ACK', 1);
    expect(server.edge.live.channelsInUse(agentsId)).toBe(1);

    sendInDialog(carrier, customerLeg, 'BYE', 2);
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const bye = await carrier.next(inCall('BYE', mobileCallId));
    carrier.answer(bye as SipRequest, 200, 'OK');
    await expect
      .poll(async () =>
        (await server.db.select().from(callRecords).where(eq(callRecords.number, CUSTOMER))).at(-1),
      )
      .toMatchObject({
        direction: 'inbound',
        toUserId: agent2Id,
        toName: 'Agent Two',
        disposition: 'answered',
      });
  });

  it("a colleague's call to a user with no phone signed in rings the mobile; the mobile busy, the caller hears that the user could not be reached", async () => {
    const colleague = await online('agent1');
    const call = colleagueCalls(colleague);
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 486, 'Busy Here', { toTag: newTag() });
    await carrier.next(inCall('ACK', atMobile.headers.get('call-id') ?? ''));
    const final = await colleague.response(call.callId, 'INVITE');
    expect(final.status).toBe(480);
    expect(final.reason).toBe('Agent Two could not be reached');
    const [record] = await recordsOf(call.callId);
    expect(record).toMatchObject({ disposition: 'missed', toUserId: agent2Id });
  });

  it("a colleague's browser call rings the mobile too; the mobile answers with WebRTC toward the caller, hold is answered from rtpengine, INFO crosses, BYE reaches the carrier", async () => {
    const colleague = await online('agent1');
    const browser = await online('agent2');
    const call = colleagueCalls(colleague);
    const atBrowser = await ringing(browser);
    const atMobile = await mobileInvite();
    await mobileAnswers(atMobile, 43000);
    expect((await phoneCancelled(browser, atBrowser)).headers.get('reason')).toBe(ELSEWHERE);

    const ok = await colleague.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('UDP/TLS/RTP/SAVPF');
    expect(bodyOf(ok)).toMatch(/a=ice-ufrag/);
    const leg = callerDialog(call, ok);
    sendInDialog(colleague, leg, 'ACK', 1);
    const mobileCallId = atMobile.headers.get('call-id') ?? '';

    // Hold: the edge answers the re-INVITE from rtpengine itself; the carrier hears nothing of it.
    sendInDialog(colleague, leg, 'INVITE', 2, {
      headers: [
        ['Contact', colleague.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer.replace('a=sendrecv', 'a=sendonly'),
    });
    const held = await colleague.response(call.callId, 'INVITE');
    expect(held.status).toBe(200);
    expect(bodyOf(held)).toContain('UDP/TLS/RTP/SAVPF');
    sendInDialog(colleague, leg, 'ACK', 2);
    // DTMF by INFO crosses to the mobile's leg.
    sendInDialog(colleague, leg, 'INFO', 3, {
      headers: [['Content-Type', 'application/dtmf-relay']],
      body: 'Signal=5\r\nDuration=160\r\n',
    });
    const info = await carrier.next(inCall('INFO', mobileCallId));
    expect(bodyOf(info)).toContain('Signal=5');
    carrier.answer(info as SipRequest, 200, 'OK');
    expect((await colleague.response(call.callId, 'INFO')).status).toBe(200);
    expect(
      carrier.requests.filter((r) => r.method === 'INVITE' && r.headers.get('call-id') === mobileCallId),
    ).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 1000));
    sendInDialog(colleague, leg, 'BYE', 4);
    expect((await colleague.response(call.callId, 'BYE')).status).toBe(200);
    const bye = await carrier.next(inCall('BYE', mobileCallId));
    carrier.answer(bye as SipRequest, 200, 'OK');

    const [record] = await recordsOf(call.callId);
    expect(record).toMatchObject({ disposition: 'answered', toUserId: agent2Id });
    await expect
      .poll(async () => (await recordsOf(mobileCallId))[0]?.chargeMinor, {
        timeout: 3000,
      })
      .toBeGreaterThanOrEqual(1);
  });
});
