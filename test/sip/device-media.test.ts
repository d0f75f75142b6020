import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCreated } from '../../contracts/devices';
import { chromiumOffer, plainAnswer, plainOffer } from '../../server/media/rtpengine/sample-sdp.fixture';
import type { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { newTag, type RawSipClient } from './raw-sip-client';
import type { RawSocketSipClient } from './raw-socket-client';
import { answerWith, browserDials, callerDialog, phoneAnswers, sendInDialog } from './support/call-steps';
import { addDeskPhone, credentialsOf, deskDials, registeredDesk } from './support/desk-phones';
import { signedIn } from './support/signed-in';
import { dialogsEnded, rtpengineInstalled, spawnedRtpengine, userIdOf } from './support/trunk-edge';

const installed = rtpengineInstalled(
  "Skipped: desk phone media needs rtpengine (Debian's rtpengine-daemon).",
);

const isWebRtc = (body: unknown) =>
  /UDP\/TLS\/RTP\/SAVPF/.test(String(body)) && /a=fingerprint/.test(String(body));
const isPlain = (body: unknown) =>
  /m=audio [0-9]+ RTP\/AVP /.test(String(body)) && !/a=fingerprint/.test(String(body));

describe.skipIf(!installed)('calls between browsers and desk phones, media through rtpengine', () => {
  let server: EdgeTestServer;
  let admin: ApiClient;
  const clients: RawSipClient[] = [];
  const phones: RawSocketSipClient[] = [];
  const { domain, online } = rawDialogs(() => server, clients);

  beforeAll(async () => {
    server = await startEdgeServer({
      sipUdpPort: 0,
      sipTcpPort: 0,
      rtpengine: spawnedRtpengine(),
      sipGraceMs: 1000,
    });
    admin = await signedIn(server, 'admin');
  });
  afterEach(async () => {
    for (const phone of phones.splice(0)) phone.close();
    for (const client of clients.splice(0)) client.terminate();
    await dialogsEnded(server);
    for (const seat of server.edge.control.listSeats()) server.edge.control.dropSeat(seat.id);
    // No rtpengine call is left behind by any case.
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function deskOf(username: string): Promise<{ desk: RawSocketSipClient; created: DeviceCreated }> {
    const created = await addDeskPhone(admin, await userIdOf(server, username));
    return { desk: await registeredDesk(server, phones, credentialsOf(created)), created };
  }

  it('a browser calls a user with a browser and a desk phone: the desk phone gets plain RTP, answers, the caller gets WebRTC and the browser is cancelled', async () => {
    const { desk } = await deskOf('agent2');
    const callee = await online('agent2');
    const caller = await online('agent1');
    const { callId } = browserDials(caller, domain(), 'agent1', '1002');
    const [atBrowser, atDesk] = await Promise.all([callee.request('INVITE'), desk.request('INVITE')]);
    // The other browser gets the caller's own offer; the desk phone rtpengine's plain one.
    expect(String(atBrowser.body)).toBe(chromiumOffer);
    expect(isPlain(atDesk.body)).toBe(true);
    callee.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    answerWith(desk, atDesk, plainAnswer(40000));
    const ok = await caller.response(callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(isWebRtc(ok.body)).toBe(true);
    const cancel = await callee.request('CANCEL');
    expect(cancel.headers.get('reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect(await server.media.list()).toHaveLength(1);
  });

  it('a desk phone calls a browser: the browser gets WebRTC, the desk phone plain RTP', async () => {
    const { desk, created } = await deskOf('agent2');
    const callee = await online('agent1');
    const dialled = await deskDials(desk, credentialsOf(created), domain(), '1001', plainOffer(40002));
    const { callId } = dialled;
    const atBrowser = await callee.request('INVITE');
    expect(isWebRtc(atBrowser.body)).toBe(true);
    phoneAnswers(callee, atBrowser, false);
    const ok = await desk.response(callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(isPlain(ok.body)).toBe(true);
    expect(await server.media.list()).toHaveLength(1);
    // The desk phone hangs up: the call and its media end.
    const routes: [string, string][] = [
      ['Route', [...ok.headers.getAll('record-route')].reverse().join(', ')],
    ];
    const deskSide = callerDialog(dialled, ok);
    sendInDialog(desk, deskSide, 'ACK', 2, { headers: routes });
    sendInDialog(desk, deskSide, 'BYE', 3, { headers: routes });
    const bye = await callee.request('BYE');
    callee.answer(bye, 200, 'OK');
    expect((await desk.response(callId, 'BYE')).status).toBe(200);
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toEqual([]);
  });
});
