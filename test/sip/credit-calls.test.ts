import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_NOTICE_HEADER } from '../../contracts/credit';
import { profileCreditOf } from '../../server/store/credit-repository';
import type { EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import type { RawSipClient } from './raw-sip-client';
import { answered, browserAcks, browserDials, carrierAnswers } from './support/call-steps';
import {
  addPerSecondRate,
  addTrunk,
  edgeSettled,
  giveProfileCredit,
  recordOf as recordIn,
  rtpengineInstalled,
  setProfileFlags,
  startTrunkEdge,
  trunkCaseOver,
} from './support/trunk-edge';
import { UdpCarrierPeer } from './udp-carrier-peer';

const installed = rtpengineInstalled(
  "Skipped: charged trunk calls need rtpengine (Debian's rtpengine-daemon).",
);

const PRICED = '+4930123456';
const UNPRICED = '+4940123456';

describe.skipIf(!installed)('charged trunk calls at the edge (raw SIP)', () => {
  let server: EdgeTestServer;
  let carrier: UdpCarrierPeer;
  let agentsId = 0;
  const clients: RawSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);
  const dial = (client: RawSipClient, user: string, dialled: string) =>
    browserDials(client, domain(), user, dialled);
  const recordOf = (callId: string) => recordIn(server, callId);

  beforeAll(async () => {
    server = await startTrunkEdge();
    carrier = await UdpCarrierPeer.start(server.sip.udp ?? 0, '127.0.0.1');
    await addTrunk(server, { name: 'Carrier', port: carrier.port });
    // Berlin costs 0.60 a minute billed by the second: a cent a second. Hamburg is not priced.
    await addPerSecondRate(server, '+4930', 'Berlin', 600_000);
    agentsId = await setProfileFlags(server, 'agents', ['call', 'external']);
    await edgeSettled(server, 1);
  });

  afterEach(() => trunkCaseOver(server, clients));

  afterAll(async () => {
    await server?.stop();
    carrier?.close();
  });

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
    await giveProfileCredit(server, agentsId, 4);
    const agent = await online('agent1');
    const call = dial(agent, 'agent1', PRICED);
    carrierAnswers(carrier, await carrier.request('INVITE'));
    browserAcks(agent, call, (await answered(agent, call)).ok);
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
