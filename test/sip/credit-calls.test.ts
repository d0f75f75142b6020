import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_NOTICE_HEADER } from '../../contracts/credit';
import { loadConfig } from '../../server/config';
import { findOnPath } from '../../server/media/rtpengine/rtpengine-config';
import { chromiumOffer, plainAnswer } from '../../server/media/rtpengine/sample-sdp.fixture';
import type { SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import {
  changeAccountBalance,
  changeProfileCredit,
  profileCreditOf,
} from '../../server/store/credit-repository';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { insertRate } from '../../server/store/rates-repository';
import { callRecords } from '../../server/store/schema';
import { insertTrunk } from '../../server/store/trunks-repository';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { newCallId, newTag, RawSipClient, register } from './raw-sip-client';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: charged trunk calls need rtpengine (Debian's rtpengine-daemon).");

const PRICED = '+4930123456';
const UNPRICED = '+4940123456';
const uriOf = (header: string | undefined) => /<([^>]+)>/.exec(header ?? '')?.[1] ?? '';

describe.skipIf(!installed)('charged trunk calls at the edge (raw SIP)', () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let agentsId = 0;
  const clients: RawSipClient[] = [];
  const domain = () => server.config.sipDomain;

  beforeAll(async () => {
    const { rtpengine } = loadConfig({ LOG_LEVEL: 'error', PATH: process.env.PATH ?? '' });
    server = await startEdgeServer({ defaultCountryCode: '49', sipUdpPort: 0, sipTcpPort: 0, rtpengine });
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await insertTrunk(server.db, {
      name: 'Carrier',
      host: '127.0.0.1',
      port: carrier.port,
      transport: 'udp',
      auth: { kind: 'ip', addresses: ['127.0.0.1'] },
      callerId: '+4930555000',
      numberFormat: { kind: 'e164' },
      prefixes: ['+'],
      priority: 1,
      enabled: true,
    });
    // Berlin costs 0.60 a minute billed by the second: a cent a second. Hamburg is not priced.
    await insertRate(server.db, {
      prefix: '+4930',
      description: 'Berlin',
      priceMicros: 600_000,
      firstIncrement: 1,
      nextIncrement: 1,
    });
    const agents = await findProfileByName(server.db, 'agents');
    agentsId = agents?.id ?? 0;
    await updateProfile(server.db, agentsId, { flags: ['call', 'external'] });
    server.deps.events.publish({ entity: 'profile', id: agentsId });
    server.deps.events.publish({ entity: 'trunk', id: null });
    await server.deps.directory.settled();
    const started = Date.now();
    while ((server.edge.trunkRouter?.count ?? 0) < 1 && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 20));
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    const started = Date.now();
    while (server.edge.dialogs().length > 0 && Date.now() - started < 4000)
      await new Promise((r) => setTimeout(r, 20));
    await server.edge.trunkCalls.idle();
    expect(await server.media.list()).toEqual([]);
  });

  afterAll(async () => {
    await server?.stop();
    carrier?.close();
  });

  async function online(user: string): Promise<RawSipClient> {
    const client = await RawSipClient.connect(server.wsUrl);
    clients.push(client);
    const ok = await register(client, { domain: domain(), user, password: server.passwords.get(user) ?? '' });
    expect(ok.status).toBe(200);
    return client;
  }

  function dial(client: RawSipClient, user: string, dialled: string) {
    const call = { callId: newCallId(), from: `<sip:${user}@${domain()}>;tag=${newTag()}` };
    client.send({
      method: 'INVITE',
      uri: `sip:${dialled}@${domain()}`,
      from: call.from,
      to: `<sip:${dialled}@${domain()}>`,
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

  async function recordOf(callId: string) {
    await server.edge.recordsIdle();
    const [row] = await server.db.select().from(callRecords).where(eq(callRecords.callId, callId));
    return row;
  }

  it('refuses a number the rate table does not price (403), and one the credit cannot pay (402), with sentences', async () => {
    const agent = await online('agent1');
    const unpriced = dial(agent, 'agent1', UNPRICED);
    const refused = await agent.response(unpriced.callId, 'INVITE');
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe(`Calls to ${UNPRICED} are not priced; ask your administrator to add a rate`);

    const poor = dial(agent, 'agent1', PRICED);
    const unpaid = await agent.response(poor.callId, 'INVITE');
    expect(unpaid.status).toBe(402);
    expect(unpaid.reason).toBe(
      `Your profile's credit (EUR 0.00) cannot pay the first second of a call to ${PRICED} (EUR 0.01); ask your supervisor for credit`,
    );
    expect(carrier.requests.filter((r) => r.method === 'INVITE')).toEqual([]);
    expect(await recordOf(poor.callId)).toMatchObject({
      disposition: 'refused',
      reason: unpaid.reason,
      chargeMinor: null,
    });
  });

  it('charges a running call each second, tells the phone before, and ends it when the credit runs out', async () => {
    await changeAccountBalance(server.db, 4);
    await changeProfileCredit(server.db, agentsId, 4);
    await changeAccountBalance(server.db, -4);
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', PRICED);
    const invite: SipRequest = await carrier.request('INVITE');
    const tag = newTag();
    carrier.answer(invite, 200, 'OK', {
      toTag: tag,
      headers: [['Contact', carrier.contact]],
      body: plainAnswer(40000),
    });
    const ok: SipResponse = await agent.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    agent.send({
      method: 'ACK',
      uri: uriOf(ok.headers.get('contact')),
      from: call.from,
      to: ok.headers.get('to') ?? '',
      callId: call.callId,
      cseq: 1,
    });
    const answeredAt = Date.now();

    const notice = await agent.request('INFO');
    expect(notice.headers.get(EDGE_NOTICE_HEADER)).toBe('credit');
    expect(notice.headers.get('content-type')).toBe('text/plain');
    expect(String(notice.body)).toMatch(
      /^Your profile's credit runs out in [34] seconds; the call will end then$/,
    );
    agent.answer(notice, 200, 'OK');

    const bye = await agent.request('BYE', 8000);
    const ranOut = "Your profile's credit ran out, so the call was ended; ask your supervisor for credit";
    expect(bye.headers.get('reason')).toBe(`SIP;cause=402;text="${ranOut}"`);
    agent.answer(bye, 200, 'OK');
    const atCarrier = await carrier.request('BYE');
    expect(atCarrier.headers.get('reason')).toBe(`SIP;cause=402;text="${ranOut}"`);
    carrier.answer(atCarrier, 200, 'OK');
    const lasted = Date.now() - answeredAt;
    expect(lasted).toBeGreaterThan(3500);
    expect(lasted).toBeLessThan(6000);

    expect(await profileCreditOf(server.db, agentsId)).toBe(0);
    await expect.poll(async () => (await recordOf(call.callId))?.chargeMinor, { timeout: 3000 }).toBe(4);
    expect(await recordOf(call.callId)).toMatchObject({
      disposition: 'answered',
      reason: ranOut,
      chargeCurrency: 'EUR',
      direction: 'outbound',
    });
  });
});
