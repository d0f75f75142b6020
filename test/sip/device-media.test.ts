import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceCreatedSchema, type DeviceCreated } from '../../contracts/devices';
import { loadConfig } from '../../server/config';
import { findOnPath } from '../../server/media/rtpengine/rtpengine-config';
import {
  chromiumAnswer,
  chromiumOffer,
  plainAnswer,
  plainOffer,
} from '../../server/media/rtpengine/sample-sdp.fixture';
import { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs } from './raw-dialogs';
import { digestAnswer, newCallId, newTag, register, type RawSipClient } from './raw-sip-client';
import { RawSocketSipClient } from './raw-socket-client';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: desk phone media needs rtpengine (Debian's rtpengine-daemon).");

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
    const { rtpengine } = loadConfig({ LOG_LEVEL: 'error', PATH: process.env.PATH ?? '' });
    server = await startEdgeServer({ sipUdpPort: 0, sipTcpPort: 0, rtpengine, sipGraceMs: 1000 });
    admin = new ApiClient(server.url);
    expect((await admin.signIn('admin', server.passwords.get('admin') ?? '')).status).toBe(200);
  });
  afterEach(async () => {
    for (const phone of phones.splice(0)) phone.close();
    for (const client of clients.splice(0)) client.terminate();
    const started = Date.now();
    while (server.edge.dialogs().length > 0 && Date.now() - started < 4000)
      await new Promise((r) => setTimeout(r, 20));
    for (const seat of server.edge.control.listSeats()) server.edge.control.dropSeat(seat.id);
    // No rtpengine call is left behind by any case.
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function deskOf(username: string): Promise<{ desk: RawSocketSipClient; created: DeviceCreated }> {
    const account = await server.deps.directory.byUsername(username);
    const response = await admin.post(`/api/users/${account?.userId}/devices`, {
      json: { kind: 'sip_phone', name: 'Desk' },
    });
    expect(response.status, response.text).toBe(201);
    const created = deviceCreatedSchema.parse(response.body);
    const desk = await RawSocketSipClient.udp(server.sip.udp ?? 0);
    phones.push(desk);
    const ok = await register(desk, {
      domain: domain(),
      user: created.credentials?.username ?? '',
      password: created.credentials?.password ?? '',
    });
    expect(ok.status).toBe(200);
    return { desk, created };
  }

  it('a browser calls a user with a browser and a desk phone: the desk phone gets plain RTP, answers, the caller gets WebRTC and the browser is cancelled', async () => {
    const { desk } = await deskOf('agent2');
    const callee = await online('agent2');
    const caller = await online('agent1');
    const callId = newCallId();
    caller.send({
      method: 'INVITE',
      uri: `sip:1002@${domain()}`,
      from: `<sip:agent1@${domain()}>;tag=${newTag()}`,
      to: `<sip:1002@${domain()}>`,
      callId,
      cseq: 1,
      headers: [
        ['Contact', caller.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumOffer,
    });
    const [atBrowser, atDesk] = await Promise.all([callee.request('INVITE'), desk.request('INVITE')]);
    // The other browser gets the caller's own offer; the desk phone rtpengine's plain one.
    expect(String(atBrowser.body)).toBe(chromiumOffer);
    expect(isPlain(atDesk.body)).toBe(true);
    callee.answer(atBrowser, 180, 'Ringing', { toTag: newTag() });
    const deskTag = newTag();
    desk.answer(atDesk, 180, 'Ringing', { toTag: deskTag });
    desk.answer(atDesk, 200, 'OK', {
      toTag: deskTag,
      headers: [
        ['Contact', desk.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: plainAnswer(40000),
    });
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
    const user = created.credentials?.username ?? '';
    const callId = newCallId();
    const base = {
      method: 'INVITE',
      uri: `sip:1001@${domain()}`,
      from: `<sip:${user}@${domain()}>;tag=${newTag()}`,
      to: `<sip:1001@${domain()}>`,
      callId,
      headers: [
        ['Contact', desk.contact],
        ['Content-Type', 'application/sdp'],
      ] as [string, string][],
      body: plainOffer(40002),
    };
    const branch = `z9hG4bK${newTag()}`;
    desk.send({ ...base, cseq: 1, branch });
    const challenge = await desk.response(callId, 'INVITE');
    expect(challenge.status).toBe(407);
    desk.send({
      method: 'ACK',
      uri: base.uri,
      from: base.from,
      to: challenge.headers.get('to') ?? '',
      callId,
      cseq: 1,
      branch,
    });
    const offer = challenge.headers.getAll('proxy-authenticate').find((v) => v.includes('MD5')) ?? '';
    const authorization = digestAnswer({
      challenge: offer,
      username: user,
      password: created.credentials?.password ?? '',
      method: 'INVITE',
      uri: base.uri,
    });
    desk.send({ ...base, cseq: 2, headers: [...base.headers, ['Proxy-Authorization', authorization]] });
    const atBrowser = await callee.request('INVITE');
    expect(isWebRtc(atBrowser.body)).toBe(true);
    const mid = /a=mid:(\S+)/.exec(String(atBrowser.body))?.[1] ?? '0';
    const tag = newTag();
    callee.answer(atBrowser, 200, 'OK', {
      toTag: tag,
      headers: [
        ['Contact', callee.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: chromiumAnswer(mid),
    });
    const ok = await desk.response(callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(isPlain(ok.body)).toBe(true);
    expect(await server.media.list()).toHaveLength(1);
    // The desk phone hangs up: the call and its media end.
    const routes = [...ok.headers.getAll('record-route')].reverse().join(', ');
    const target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    const dialogTo = ok.headers.get('to') ?? '';
    desk.send({
      method: 'ACK',
      uri: target,
      from: base.from,
      to: dialogTo,
      callId,
      cseq: 2,
      headers: [['Route', routes]],
    });
    desk.send({
      method: 'BYE',
      uri: target,
      from: base.from,
      to: dialogTo,
      callId,
      cseq: 3,
      headers: [['Route', routes]],
    });
    const bye = await callee.request('BYE');
    callee.answer(bye, 200, 'OK');
    expect((await desk.response(callId, 'BYE')).status).toBe(200);
    await expect.poll(() => server.media.list(), { timeout: 3000 }).toEqual([]);
  });
});
