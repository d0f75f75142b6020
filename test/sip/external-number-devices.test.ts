import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deviceCreatedSchema } from '../../contracts/devices';
import { loadConfig } from '../../server/config';
import { findOnPath } from '../../server/media/rtpengine/rtpengine-config';
import {
  chromiumAnswer,
  chromiumOffer,
  plainAnswer,
  plainOffer,
} from '../../server/media/rtpengine/sample-sdp.fixture';
import type { SipMessage, SipRequest } from '../../server/sip/message/sip-message';
import {
  changeAccountBalance,
  changeProfileCredit,
  profileCreditOf,
} from '../../server/store/credit-repository';
import { insertNumber } from '../../server/store/numbers-repository';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { insertRate } from '../../server/store/rates-repository';
import { callRecords, users } from '../../server/store/schema';
import { insertTrunk } from '../../server/store/trunks-repository';
import { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { newCallId, newTag, RawSipClient, register } from './raw-sip-client';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: external numbers need rtpengine (Debian's rtpengine-daemon).");

const CUSTOMER = '+4930123456';
const OUR_NUMBER = '+4930777000';
const CALLER_ID = '+4930555000';
const MOBILE = '+4917012345678';
/** A national number no trunk routes (the trunk carries +4917 and +4930 only). */
const UNROUTED = '+4940123456';
const ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

const uriOf = (header: string | undefined) => /<([^>]+)>/.exec(header ?? '')?.[1] ?? '';
const userOf = (uri: string) => /^sips?:([^@;]+)@/.exec(uri)?.[1] ?? '';
const bodyOf = (message: SipMessage) => String(message.body);
const isInvite = (m: SipMessage) => m.kind === 'request' && m.method === 'INVITE';
/** A request of `method` in the dialog (or transaction) of `callId`. */
const inCall = (method: string, callId: string) => (m: SipMessage) =>
  m.kind === 'request' && m.method === method && m.headers.get('call-id') === callId;
/** A provisional answer `status` to the INVITE of `callId`. */
const provisional = (status: number, callId: string) => (m: SipMessage) =>
  m.kind === 'response' && m.status === status && m.headers.get('call-id') === callId;

describe.skipIf(!installed)("a user's external number rung beside their phones (raw SIP, rtpengine)", () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let admin: ApiClient;
  let agentsId = 0;
  let agent2Id = 0;
  let mobileId = 0;
  const clients: RawSipClient[] = [];
  const domain = () => server.config.sipDomain;
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
    const { rtpengine } = loadConfig({ LOG_LEVEL: 'error', PATH: process.env.PATH ?? '' });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (/^\S+ INFO /.test(text)) infoLines.push(text);
      else writeStderr(chunk);
      return true;
    });
    server = await startEdgeServer({
      logLevel: 'info',
      defaultCountryCode: '49',
      sipUdpPort: 0,
      sipTcpPort: 0,
      rtpengine,
      sipNoAnswerMs: 4000,
    });
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await insertTrunk(server.db, {
      name: 'Carrier',
      host: '127.0.0.1',
      port: carrier.port,
      transport: 'udp',
      auth: { kind: 'ip', addresses: ['127.0.0.1'] },
      callerId: CALLER_ID,
      numberFormat: { kind: 'e164' },
      prefixes: ['+4917', '+4930'],
      priority: 1,
      enabled: true,
    });
    // Mobiles cost 0.60 a minute billed by the second: a cent a second.
    await insertRate(server.db, {
      prefix: '+4917',
      description: 'German mobiles',
      priceMicros: 600_000,
      firstIncrement: 1,
      nextIncrement: 1,
    });
    const agents = await findProfileByName(server.db, 'agents');
    agentsId = agents?.id ?? 0;
    await updateProfile(server.db, agentsId, { flags: ['call', 'external'] });
    await changeAccountBalance(server.db, 100);
    await changeProfileCredit(server.db, agentsId, 100);
    await changeAccountBalance(server.db, -100);
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
    server.deps.events.publish({ entity: 'profile', id: agentsId });
    server.deps.events.publish({ entity: 'number', id: null });
    server.deps.events.publish({ entity: 'trunk', id: null });
    await server.deps.directory.settled();
    const started = Date.now();
    while ((server.edge.trunkRouter?.count ?? 0) < 1 && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 20));
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    const started = Date.now();
    while (server.edge.dialogs().length > 0 && Date.now() - started < 6000)
      await new Promise((r) => setTimeout(r, 20));
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

  async function online(user: string): Promise<RawSipClient> {
    const client = await RawSipClient.connect(server.wsUrl);
    clients.push(client);
    const ok = await register(client, { domain: domain(), user, password: server.passwords.get(user) ?? '' });
    expect(ok.status).toBe(200);
    return client;
  }

  /** The customer's call from the carrier to agent2's number, with a plain RTP offer. */
  function customerCalls() {
    const call = {
      callId: newCallId(),
      from: `<sip:${CUSTOMER}@127.0.0.1>;tag=${newTag()}`,
      to: `<sip:${OUR_NUMBER}@${domain()}>`,
      uri: `sip:${OUR_NUMBER}@127.0.0.1:${server.sip.udp ?? 0}`,
      branch: `z9hG4bK${newCallId()}`,
    };
    carrier.send({
      ...call,
      method: 'INVITE',
      cseq: 1,
      body: plainOffer(41000),
    });
    return call;
  }

  /** A colleague's browser calls agent2's extension. */
  function colleagueCalls(client: RawSipClient) {
    const call = { callId: newCallId(), from: `<sip:agent1@${domain()}>;tag=${newTag()}` };
    client.send({
      method: 'INVITE',
      uri: `sip:1002@${domain()}`,
      from: call.from,
      to: `<sip:1002@${domain()}>`,
      callId: call.callId,
      cseq: 1,
      headers: [
        ['Contact', client.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer,
    });
    return call;
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

  async function recordsOf(callId: string) {
    await server.edge.recordsIdle();
    return server.db.select().from(callRecords).where(eq(callRecords.callId, callId));
  }

  it('carrier → user: the browser and the mobile ring; the mobile answers, the browser is cancelled as answered elsewhere, the leg is charged', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const atMobile = await mobileInvite();
    const mobileTag = newTag();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: mobileTag });
    await carrier.next(provisional(180, call.callId));
    carrier.answer(atMobile, 200, 'OK', {
      toTag: mobileTag,
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(42000),
    });

    // The browser stops ringing: CANCEL saying the call was answered elsewhere.
    const cancel = await browser.request('CANCEL');
    expect(cancel.headers.get('reason')).toBe(ELSEWHERE);
    browser.answer(cancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated', { toTag: newTag() });

    // The customer gets the mobile's answer as plain RTP from rtpengine, and ACKs.
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('RTP/AVP');
    expect(bodyOf(ok)).not.toContain('42000');
    const mobileCallId = atMobile.headers.get('call-id') ?? '';
    await carrier.next(inCall('ACK', mobileCallId));
    const customerLeg = {
      callId: call.callId,
      from: call.from,
      to: ok.headers.get('to') ?? '',
      uri: uriOf(ok.headers.get('contact')),
    };
    carrier.send({ ...customerLeg, method: 'ACK', cseq: 1 });

    // Live: one answered call of agent2's, one channel of the agents profile.
    const live = server.edge.control.liveDialogs();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ state: 'answered', callee: { username: 'agent2' } });
    expect(server.edge.live.channelsInUse(agentsId)).toBe(1);

    await new Promise((r) => setTimeout(r, 1500));
    carrier.send({ ...customerLeg, method: 'BYE', cseq: 2 });
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
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const atMobile = await mobileInvite();
    const mobileCallId = atMobile.headers.get('call-id') ?? '';
    const mobileTag = newTag();
    carrier.answer(atMobile, 200, 'OK', {
      toTag: mobileTag,
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(44000),
    });
    const cancel = (await browser.request('CANCEL')) as SipRequest;
    browser.answer(cancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated', { toTag: newTag() });
    const ok = await carrier.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    carrier.send({
      ...call,
      method: 'ACK',
      to: ok.headers.get('to') ?? '',
      uri: uriOf(ok.headers.get('contact')),
      cseq: 1,
    });
    await carrier.next(inCall('ACK', mobileCallId));
    // The mobile's BYE, as the carrier sends it in the edge's dialog.
    carrier.send({
      method: 'BYE',
      uri: uriOf(atMobile.headers.get('contact')),
      from: `${atMobile.headers.get('to') ?? ''};tag=${mobileTag}`,
      to: atMobile.headers.get('from') ?? '',
      callId: mobileCallId,
      cseq: 1,
    });
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
    const customerLeg = {
      callId: call.callId,
      from: call.from,
      to: ok.headers.get('to') ?? '',
      uri: uriOf(ok.headers.get('contact')),
    };
    carrier.send({ ...customerLeg, method: 'ACK', cseq: 1 });
    carrier.send({ ...customerLeg, method: 'BYE', cseq: 2 });
    expect((await carrier.response(call.callId, 'BYE')).status).toBe(200);
    const bye = (await browser.request('BYE')) as SipRequest;
    browser.answer(bye, 200, 'OK');
    expect(await recordsOf(atMobile.headers.get('call-id') ?? '')).toEqual([]);
  });

  it('the caller cancelling cancels the mobile leg', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: newTag() });
    await carrier.next(provisional(180, call.callId));
    carrier.send({ ...call, method: 'CANCEL', cseq: 1 });
    const cancel = await carrier.next(inCall('CANCEL', atMobile.headers.get('call-id') ?? ''));
    carrier.answer(cancel as SipRequest, 200, 'OK');
    carrier.answer(atMobile, 487, 'Request Terminated');
    const browserCancel = (await browser.request('CANCEL')) as SipRequest;
    browser.answer(browserCancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated', { toTag: newTag() });
    expect((await carrier.response(call.callId, 'INVITE')).status).toBe(487);
  });

  it('the ring timeout cancels the mobile leg with the phones, and the customer hears 480', async () => {
    const browser = await online('agent2');
    const call = customerCalls();
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const atMobile = await mobileInvite();
    carrier.answer(atMobile, 180, 'Ringing', { toTag: newTag() });
    const rangAt = Date.now();
    const cancel = await carrier.next(inCall('CANCEL', atMobile.headers.get('call-id') ?? ''), 8000);
    // sipNoAnswerMs is 4 s here.
    expect(Date.now() - rangAt).toBeGreaterThan(3000);
    carrier.answer(cancel as SipRequest, 200, 'OK');
    carrier.answer(atMobile, 487, 'Request Terminated');
    const browserCancel = (await browser.request('CANCEL')) as SipRequest;
    browser.answer(browserCancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated', { toTag: newTag() });
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
    await updateProfile(server.db, agentsId, { flags: ['call'] });
    server.deps.events.publish({ entity: 'profile', id: agentsId });
    await server.deps.directory.settled();
    await ringsOnlyTheBrowser(
      `is not rung: Your profile does not allow calls to outside numbers (${MOBILE})`,
    );
    await updateProfile(server.db, agentsId, { flags: ['call', 'external'] });
    server.deps.events.publish({ entity: 'profile', id: agentsId });
    await server.deps.directory.settled();

    // No trunk routes the number.
    expect((await admin.delete(`/api/users/${agent2Id}/devices/${mobileId}`)).status).toBe(204);
    const unrouted = await addExternalNumber(UNROUTED);
    await ringsOnlyTheBrowser(`(${UNROUTED}) is not rung: no trunk routes ${UNROUTED}`);
    expect((await admin.delete(`/api/users/${agent2Id}/devices/${unrouted}`)).status).toBe(204);
    mobileId = await addExternalNumber(MOBILE);
  });

  it("a colleague's browser call rings the mobile too; the mobile answers with WebRTC toward the caller, hold is answered from rtpengine, INFO crosses, BYE reaches the carrier", async () => {
    const colleague = await online('agent1');
    const browser = await online('agent2');
    const call = colleagueCalls(colleague);
    const atBrowser = (await browser.request('INVITE')) as SipRequest;
    browser.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const atMobile = await mobileInvite();
    const mobileTag = newTag();
    carrier.answer(atMobile, 200, 'OK', {
      toTag: mobileTag,
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(43000),
    });
    const cancel = (await browser.request('CANCEL')) as SipRequest;
    expect(cancel.headers.get('reason')).toBe(ELSEWHERE);
    browser.answer(cancel, 200, 'OK');
    browser.answer(atBrowser, 487, 'Request Terminated', { toTag: newTag() });

    const ok = await colleague.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok)).toContain('UDP/TLS/RTP/SAVPF');
    expect(bodyOf(ok)).toMatch(/a=ice-ufrag/);
    const leg = { callId: call.callId, from: call.from, to: ok.headers.get('to') ?? '' };
    const target = uriOf(ok.headers.get('contact'));
    colleague.send({ ...leg, method: 'ACK', uri: target, cseq: 1 });
    const mobileCallId = atMobile.headers.get('call-id') ?? '';

    // Hold: the edge answers the re-INVITE from rtpengine itself; the carrier hears nothing of it.
    colleague.send({
      ...leg,
      method: 'INVITE',
      uri: target,
      cseq: 2,
      headers: [
        ['Contact', colleague.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer.replace('a=sendrecv', 'a=sendonly'),
    });
    const held = await colleague.response(call.callId, 'INVITE');
    expect(held.status).toBe(200);
    expect(bodyOf(held)).toContain('UDP/TLS/RTP/SAVPF');
    colleague.send({ ...leg, method: 'ACK', uri: target, cseq: 2 });
    // DTMF by INFO crosses to the mobile's leg.
    colleague.send({
      ...leg,
      method: 'INFO',
      uri: target,
      cseq: 3,
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
    colleague.send({ ...leg, method: 'BYE', uri: target, cseq: 4 });
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
