import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceCreatedSchema, deviceListSchema, type DeviceCreated } from '../../contracts/devices';
import type { SipMessage } from '../../server/sip/message/sip-message';
import { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { rawDialogs, sdp } from './raw-dialogs';
import { newTag, register, type RawSipClient } from './raw-sip-client';
import { RawSocketSipClient } from './raw-socket-client';
import { credentialsOf, deskDials } from './support/desk-phones';

let server: EdgeTestServer;
let admin: ApiClient;
const clients: RawSipClient[] = [];
const phones: RawSocketSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer({ sipUdpPort: 0, sipTcpPort: 0 });
  admin = new ApiClient(server.url);
  expect((await admin.signIn('admin', server.passwords.get('admin') ?? '')).status).toBe(200);
});
afterEach(async () => {
  for (const phone of phones.splice(0)) phone.close();
  await disconnectAll();
  for (const seat of server.edge.control.listSeats()) server.edge.control.dropSeat(seat.id);
});
afterAll(async () => {
  await server.stop();
});

const { domain, disconnectAll, online, invite } = rawDialogs(() => server, clients);
const udpPort = () => server.sip.udp ?? 0;
const isRequest = (method: string) => (m: SipMessage) => m.kind === 'request' && m.method === method;

async function userIdOf(username: string): Promise<number> {
  const account = await server.deps.directory.byUsername(username);
  if (!account) throw new Error(`no user ${username}`);
  return account.userId;
}

/** A desk phone added to `username` through the API: its credentials, shown this once. */
async function addDeskPhone(username: string): Promise<DeviceCreated> {
  const response = await admin.post(`/api/users/${await userIdOf(username)}/devices`, {
    json: { kind: 'sip_phone', name: 'Desk' },
  });
  expect(response.status, response.text).toBe(201);
  const created = deviceCreatedSchema.parse(response.body);
  // The edge's copy of the devices has it before the phone registers.
  await server.deps.events.publish({ entity: 'device', id: null });
  return created;
}

/** A UDP phone registered with a device's own credentials. */
async function registeredDesk(created: DeviceCreated): Promise<RawSocketSipClient> {
  const phone = await RawSocketSipClient.udp(udpPort());
  phones.push(phone);
  const ok = await register(phone, {
    domain: domain(),
    user: created.credentials?.username ?? '',
    password: created.credentials?.password ?? '',
  });
  expect(ok.status, ok.reason).toBe(200);
  return phone;
}

describe('a desk phone with its own credentials', () => {
  it('registers with them; the binding is its owner’s, marked as the device, and the API shows where from', async () => {
    const created = await addDeskPhone('agent2');
    expect(created.credentials?.server.udpPort).toBe(udpPort());
    const phone = await registeredDesk(created);
    const seat = server.edge.control.listSeats().find((s) => s.username === 'agent2');
    expect(seat?.remoteAddress).toBe(`127.0.0.1:${phone.localPort}`);
    const list = deviceListSchema.parse(
      (await admin.get(`/api/users/${await userIdOf('agent2')}/devices`)).body,
    );
    const device = list.items.find((d) => d.id === created.device.id);
    expect(device?.registrations).toEqual([
      expect.objectContaining({ transport: 'udp', remoteAddress: `127.0.0.1:${phone.localPort}` }),
    ]);
    expect(list.browser.registrations).toEqual([]);
  });

  it('a wrong password gets no binding (401 or 403); the device credentials register only the device’s address', async () => {
    const created = await addDeskPhone('agent3');
    const wrong = await RawSocketSipClient.udp(udpPort());
    phones.push(wrong);
    const refused = await register(wrong, {
      domain: domain(),
      user: created.credentials?.username ?? '',
      password: 'not-the-password',
    });
    expect([401, 403]).toContain(refused.status);
    const other = await RawSocketSipClient.udp(udpPort());
    phones.push(other);
    // The device's credentials, registering the user's own address: refused.
    const asUser = await register(other, {
      domain: domain(),
      user: 'agent3',
      authUser: created.credentials?.username ?? '',
      password: created.credentials?.password ?? '',
    });
    expect(asUser.status).toBe(403);
    expect(asUser.reason).toBe('You may register only your own address');
    expect(server.edge.control.listSeats().filter((s) => s.username === 'agent3')).toEqual([]);
  });

  it('removing the device signs the phone out at once', async () => {
    const created = await addDeskPhone('agent3');
    await registeredDesk(created);
    expect(server.edge.control.listSeats().some((s) => s.username === 'agent3')).toBe(true);
    const removed = await admin.delete(`/api/users/${await userIdOf('agent3')}/devices/${created.device.id}`);
    expect(removed.status).toBe(204);
    expect(server.edge.control.listSeats().some((s) => s.username === 'agent3')).toBe(false);
  });
});

describe('an incoming call rings every device', () => {
  it('the browser phone and the desk phone ring at once; answering in the browser cancels the desk phone, answered elsewhere', async () => {
    const created = await addDeskPhone('agent2');
    const desk = await registeredDesk(created);
    const browser = await online('agent2');
    const caller = await online('agent1');
    const call = invite(caller, 'agent1', '1002');
    call.send();
    const [atBrowser, atDesk] = await Promise.all([browser.request('INVITE'), desk.request('INVITE')]);
    expect(atDesk.uri).toBe(`sip:${desk.contactUser}@${desk.hostPort}`);
    desk.answer(atDesk, 180, 'Ringing', { toTag: newTag() });
    const browserTag = newTag();
    browser.answer(atBrowser, 180, 'Ringing', { toTag: browserTag });
    browser.answer(atBrowser, 200, 'OK', {
      toTag: browserTag,
      headers: [
        ['Contact', browser.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    expect((await caller.response(call.callId, 'INVITE')).status).toBe(200);
    const cancel = await desk.request('CANCEL');
    expect(cancel.headers.get('reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    desk.answer(cancel, 200, 'OK');
    desk.answer(atDesk, 487, 'Request Terminated');
  });

  it('a call from the desk phone is its owner’s, under the owner’s profile, and reaches another user', async () => {
    const created = await addDeskPhone('agent2');
    const desk = await registeredDesk(created);
    const callee = await online('agent1');
    const { callId } = await deskDials(desk, credentialsOf(created), domain(), '1001', sdp);
    const atCallee = await callee.request('INVITE');
    // The callee sees the owner, as for any of the owner's phones.
    expect(atCallee.headers.get('p-asserted-identity')).toBe(`"Agent Two" <sip:1002@${domain()}>`);
    const live = server.edge.control.liveDialogs().find((d) => d.callId === callId);
    expect(live?.caller.username).toBe('agent2');
    callee.answer(atCallee, 486, 'Busy Here');
    expect((await desk.response(callId, 'INVITE')).status).toBe(486);
    expect(desk.count(isRequest('INVITE'))).toBe(0);
  });
});
