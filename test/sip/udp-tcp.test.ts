import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipMessage, SipRequest } from '../../server/sip/message/sip-message';
import { createSwitchboardServer } from '../../server/create-server';
import { createLogger } from '../../server/log';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs, sdp } from './raw-dialogs';
import { digestAnswer, newCallId, newTag, register, type RawSipClient } from './raw-sip-client';
import { RawSocketSipClient } from './raw-socket-client';

let server: EdgeTestServer;
const clients: RawSipClient[] = [];
const phones: RawSocketSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer({ sipUdpPort: 0, sipTcpPort: 0 });
});
afterEach(async () => {
  for (const phone of phones.splice(0)) phone.close();
  await disconnectAll();
  // UDP flows do not close: drop what the desk phones left registered.
  for (const seat of server.edge.control.listSeats()) server.edge.control.dropSeat(seat.id);
});
afterAll(async () => {
  await server.stop();
});

const { domain, disconnectAll, online, invite } = rawDialogs(() => server, clients);
const udpPort = () => server.sip.udp ?? 0;
const tcpPort = () => server.sip.tcp ?? 0;
const udpRoute = () => `<sip:127.0.0.1:${udpPort()};lr>`;
const wsRoute = () => `<sip:${domain()};transport=ws;lr>`;
const isRequest = (method: string) => (m: SipMessage) => m.kind === 'request' && m.method === method;
const isResponse = (status: number, method: string) => (m: SipMessage) =>
  m.kind === 'response' && m.status === status && (m.headers.get('cseq') ?? '').endsWith(` ${method}`);

async function deskPhone(transport: 'udp' | 'tcp', user: string): Promise<RawSocketSipClient> {
  const phone =
    transport === 'udp' ? await RawSocketSipClient.udp(udpPort()) : await RawSocketSipClient.tcp(tcpPort());
  phones.push(phone);
  const ok = await register(phone, { domain: domain(), user, password: server.passwords.get(user) ?? '' });
  expect(ok.status).toBe(200);
  return phone;
}

/** The callee answers 180 and 200 with its Contact and SDP; returns the 200's text. */
function answerCall(callee: RawSocketSipClient, request: SipRequest, tag: string): string {
  callee.answer(request, 180, 'Ringing', { toTag: tag });
  return callee.answer(request, 200, 'OK', {
    toTag: tag,
    headers: [
      ['Contact', callee.contact],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  });
}

describe('REGISTER over UDP and TCP', () => {
  it('registers a desk phone over UDP with digest; the binding is its source address and port', async () => {
    const phone = await RawSocketSipClient.udp(udpPort());
    phones.push(phone);
    const ok = await register(phone, {
      domain: domain(),
      user: 'agent2',
      password: server.passwords.get('agent2') ?? '',
    });
    expect(ok.status).toBe(200);
    // RFC 3581: the response went to the source port, named in the Via it carries.
    expect(ok.headers.get('via')).toContain(`rport=${phone.localPort}`);
    expect(ok.headers.get('via')).toContain('received=127.0.0.1');
    const challenge = phone.received.find(isResponse(401, 'REGISTER'));
    // MD5 alone off WebSocket: libre 1.x (baresip 1.0) gives up on a challenge naming SHA-256 too.
    const offered = challenge?.headers.getAll('www-authenticate') ?? [];
    expect(offered.map((offer) => /algorithm=([^,\s]+)/.exec(offer)?.[1])).toEqual(['MD5']);
    const seat = server.edge.control.listSeats().find((s) => s.username === 'agent2');
    expect(seat?.remoteAddress).toBe(`127.0.0.1:${phone.localPort}`);
  });

  it('registers over TCP, and keeps the connection for what follows', async () => {
    const phone = await deskPhone('tcp', 'agent3');
    const seat = server.edge.control.listSeats().find((s) => s.username === 'agent3');
    expect(seat?.remoteAddress).toBe(`127.0.0.1:${phone.localPort}`);
    // A second request on the same connection: OPTIONS, challenged then answered.
    const callId = newCallId();
    const options = {
      method: 'OPTIONS',
      uri: `sip:${domain()}`,
      from: `<sip:agent3@${domain()}>;tag=${newTag()}`,
      to: `<sip:${domain()}>`,
      callId,
      cseq: 1,
    };
    phone.send(options);
    expect((await phone.response(callId, 'OPTIONS')).status).toBe(200);
  });

  it('a phone registering its Contact again from a new UDP port replaces the old binding (NAT rebinding)', async () => {
    const before = await deskPhone('udp', 'agent2');
    const after = await RawSocketSipClient.udp(udpPort(), before.contactUser);
    phones.push(after);
    const ok = await register(after, {
      domain: domain(),
      user: 'agent2',
      password: server.passwords.get('agent2') ?? '',
    });
    expect(ok.status).toBe(200);
    const seats = server.edge.control.listSeats().filter((s) => s.username === 'agent2');
    expect(seats.map((s) => s.remoteAddress)).toEqual([`127.0.0.1:${after.localPort}`]);
  });

  it('answers a wrong password over UDP with a new challenge, never a 200', async () => {
    const phone = await RawSocketSipClient.udp(udpPort());
    phones.push(phone);
    const refused = await register(phone, { domain: domain(), user: 'agent1', password: 'wrong' });
    expect([401, 403]).toContain(refused.status);
  });
});

describe('listening', () => {
  it('a SIP port already taken stops the start with a sentence naming its variable', async () => {
    const second = createSwitchboardServer({
      config: { ...server.config, sipUdpPort: udpPort(), sipTcpPort: null },
      db: server.db,
      log: createLogger('silent'),
    });
    await expect(second.edge.listen()).rejects.toThrow(
      `SIP_UDP_PORT ${udpPort()} is in use by another program; set SIP_UDP_PORT to a free port, or SIP_UDP_PORT=0 to turn it off.`,
    );
    await second.close();
  });
});

describe('calls between a WebSocket phone and a desk phone', () => {
  it('WS → UDP: double Record-Route, a lost INVITE retransmitted, ACK and BYE crossing back', async () => {
    const desk = await deskPhone('udp', 'agent2');
    const browser = await online('agent1');
    // The network loses the edge's first INVITE to the desk phone.
    desk.dropNext(isRequest('INVITE'));
    const call = invite(browser, 'agent1', '1002');
    const sentAt = Date.now();
    call.send();
    const atDesk = await desk.request('INVITE', 3000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(400); // timer A: T1 = 500 ms
    expect(desk.count(isRequest('INVITE'))).toBe(2);
    // RFC 5658: the entry the desk phone reaches (UDP) on top, the WebSocket side's below.
    expect(atDesk.headers.getAll('record-route')).toEqual([udpRoute(), wsRoute()]);
    expect(atDesk.headers.get('via')).toMatch(
      new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${udpPort()};branch=z9hG4bK[^;]+;rport$`),
    );
    const deskTag = newTag();
    answerCall(desk, atDesk, deskTag);
    const ok = await browser.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    expect(ok.headers.getAll('record-route')).toEqual([udpRoute(), wsRoute()]);
    // The browser's route set is the reverse: its own side first. The edge pops both entries.
    const to = ok.headers.get('to') ?? '';
    const target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    expect(target).toBe(`sip:${desk.contactUser}@${desk.hostPort}`);
    browser.send({
      method: 'ACK',
      uri: target,
      from: call.from,
      to,
      callId: call.callId,
      cseq: 1,
      headers: [['Route', `${wsRoute()}, ${udpRoute()}`]],
    });
    const ack = await desk.request('ACK');
    expect(ack.uri).toBe(target);
    expect(ack.headers.has('route')).toBe(false);
    expect(server.edge.dialogs()[0]?.state).toBe('answered');

    // The desk phone hangs up; its first 200 is lost, so it repeats the BYE: the edge answers it
    // again from its transaction and does not forward it twice.
    const browserTarget = /<([^>]+)>/.exec(atDesk.headers.get('contact') ?? '')?.[1] ?? '';
    desk.dropNext(isResponse(200, 'BYE'));
    const bye = desk.send({
      method: 'BYE',
      uri: browserTarget,
      from: atDesk.headers.get('to') + `;tag=${deskTag}`,
      to: atDesk.headers.get('from') ?? '',
      callId: call.callId,
      cseq: 2,
      headers: [['Route', `${udpRoute()}, ${wsRoute()}`]],
    });
    const atBrowser = await browser.request('BYE');
    expect(atBrowser.headers.has('route')).toBe(false);
    browser.answer(atBrowser, 200, 'OK');
    await expect.poll(() => desk.count(isResponse(200, 'BYE'))).toBe(1);
    desk.sendText(bye);
    await expect.poll(() => desk.count(isResponse(200, 'BYE'))).toBe(2);
    expect(await browser.nothing((m) => m.kind === 'request' && m.method === 'BYE', 300)).toBe(true);
    expect(server.edge.dialogs()).toHaveLength(0);
  });

  it('UDP → WS: duplicates absorbed, a lost 200 and a lost BYE repeated until answered', async () => {
    const browser = await online('agent1');
    const desk = await RawSocketSipClient.udp(udpPort());
    phones.push(desk);
    const callId = newCallId();
    const base = {
      method: 'INVITE',
      uri: `sip:1001@${domain()}`,
      from: `<sip:agent2@${domain()}>;tag=${newTag()}`,
      to: `<sip:1001@${domain()}>`,
      callId,
      headers: [
        ['Contact', desk.contact],
        ['Content-Type', 'application/sdp'],
      ] as [string, string][],
      body: sdp,
    };
    // Over UDP a source address proves nothing: the INVITE is challenged.
    const branch = `z9hG4bK${newTag()}`;
    desk.send({ ...base, cseq: 1, branch });
    const challenge = await desk.response(callId, 'INVITE');
    expect(challenge.status).toBe(407);
    // The ACK of a non-2xx belongs to the INVITE's transaction: same branch.
    const to = challenge.headers.get('to') ?? '';
    desk.send({ method: 'ACK', uri: base.uri, from: base.from, to, callId, cseq: 1, branch });
    const offer = challenge.headers.getAll('proxy-authenticate').find((v) => v.includes('MD5')) ?? '';
    const authorized = desk.send({
      ...base,
      cseq: 2,
      headers: [
        ...base.headers,
        [
          'Proxy-Authorization',
          digestAnswer({
            challenge: offer,
            username: 'agent2',
            password: server.passwords.get('agent2') ?? '',
            method: 'INVITE',
            uri: base.uri,
          }),
        ],
      ],
    });
    const atBrowser = await browser.request('INVITE');
    // The phone did not hear the 100 Trying and repeats its INVITE twice: one INVITE reaches the browser.
    await desk.next(isResponse(100, 'INVITE'));
    desk.sendText(authorized);
    desk.sendText(authorized);
    await expect.poll(() => desk.count(isResponse(100, 'INVITE'))).toBe(3);
    expect(await browser.nothing((m) => m.kind === 'request' && m.method === 'INVITE', 300)).toBe(true);
    // RFC 5658 seen from the browser: its WebSocket entry on top.
    expect(atBrowser.headers.getAll('record-route')).toEqual([wsRoute(), udpRoute()]);

    // The 200 toward the desk phone is lost; the browser, as a UAS, repeats it until the ACK
    // (RFC 3261 13.3.1.4, as sip.js does) and the edge passes each on.
    desk.dropNext(isResponse(200, 'INVITE'));
    const browserTag = newTag();
    browser.answer(atBrowser, 180, 'Ringing', { toTag: browserTag });
    const okHeaders = {
      toTag: browserTag,
      headers: [
        ['Contact', browser.contact],
        ['Content-Type', 'application/sdp'],
      ] as [string, string][],
      body: sdp,
    };
    browser.answer(atBrowser, 200, 'OK', okHeaders);
    await expect.poll(() => desk.count(isResponse(200, 'INVITE'))).toBe(1);
    browser.answer(atBrowser, 200, 'OK', okHeaders);
    const ok = await desk.response(callId, 'INVITE');
    expect(ok.headers.getAll('record-route')).toEqual([wsRoute(), udpRoute()]);
    const dialogTo = ok.headers.get('to') ?? '';
    const browserTarget = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    desk.send({
      method: 'ACK',
      uri: browserTarget,
      from: base.from,
      to: dialogTo,
      callId,
      cseq: 2,
      headers: [['Route', `${udpRoute()}, ${wsRoute()}`]],
    });
    await browser.request('ACK');

    // The browser hangs up; the BYE toward the desk phone is lost and the edge repeats it (timer E).
    desk.dropNext(isRequest('BYE'));
    const deskTarget = `sip:${desk.contactUser}@${desk.hostPort}`;
    browser.send({
      method: 'BYE',
      uri: deskTarget,
      from: `${atBrowser.headers.get('to')};tag=${browserTag}`,
      to: atBrowser.headers.get('from') ?? '',
      callId,
      cseq: 1,
      headers: [['Route', `${wsRoute()}, ${udpRoute()}`]],
    });
    await expect.poll(() => desk.count(isRequest('BYE'))).toBe(1);
    const bye = await desk.request('BYE', 2000);
    expect(desk.count(isRequest('BYE'))).toBe(2);
    desk.answer(bye, 200, 'OK');
    expect((await browser.response(callId, 'BYE')).status).toBe(200);
    expect(server.edge.dialogs()).toHaveLength(0);
  });

  it('WS → TCP: Record-Route names the TCP side with transport=tcp, the call goes both ways', async () => {
    const desk = await deskPhone('tcp', 'agent3');
    const browser = await online('agent1');
    const call = invite(browser, 'agent1', '1003');
    call.send();
    const atDesk = await desk.request('INVITE');
    const tcpRoute = `<sip:127.0.0.1:${tcpPort()};transport=tcp;lr>`;
    expect(atDesk.headers.getAll('record-route')).toEqual([tcpRoute, wsRoute()]);
    expect(atDesk.headers.get('via')).toMatch(/^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=/);
    answerCall(desk, atDesk, newTag());
    const ok = await browser.response(call.callId, 'INVITE');
    expect(ok.status).toBe(200);
    const target = /<([^>]+)>/.exec(ok.headers.get('contact') ?? '')?.[1] ?? '';
    browser.send({
      method: 'BYE',
      uri: target,
      from: call.from,
      to: ok.headers.get('to') ?? '',
      callId: call.callId,
      cseq: 2,
      headers: [['Route', `${wsRoute()}, ${tcpRoute}`]],
    });
    const bye = await desk.request('BYE');
    desk.answer(bye, 200, 'OK');
    expect((await browser.response(call.callId, 'BYE')).status).toBe(200);
    // Nothing was retransmitted over TCP (a reliable transport).
    expect(desk.count(isRequest('INVITE'))).toBe(1);
    expect(desk.count(isRequest('BYE'))).toBe(1);
  });
});
