import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAMAILIO_SECRET_HEADER, type KamailioPolicyAnswer } from '../../contracts/kamailio';
import { insertProfile } from '../../server/store/profiles-repository';
import { callRecords, kamailioCalls, kamailioLocation } from '../../server/store/schema';
import type { Flag } from '../../contracts/profiles';
import { expectApiError } from './support/expect-error';
import { makeUser, uniqueName } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

const SECRET = 'kamailio-test-secret-0123456789';
const DOMAIN = 'switchboard.local';

let server: TestServer;

async function profileWith(flags: Flag[], limits: { capacity?: number; channelLimit?: number } = {}) {
  const name = uniqueName('kp');
  const id = await insertProfile(server.db, {
    name,
    capacity: limits.capacity ?? 5,
    channelLimit: limits.channelLimit ?? 5,
    flags,
    bargeGroup: null,
    monitorNotice: false,
  });
  return { id, name };
}

function ask(path: string, json: unknown, secret: string | null = SECRET) {
  return server.client().post(`/internal/kamailio/${path}`, {
    json,
    headers: secret === null ? {} : { [KAMAILIO_SECRET_HEADER]: secret },
  });
}

const invite = (from: string, to: string, callId = uniqueName('cid')) => ({
  method: 'INVITE',
  user: from,
  fromUri: `sip:${from}@${DOMAIN}`,
  toUri: `sip:${to}@${DOMAIN}`,
  requestUri: `sip:${to}@${DOMAIN}`,
  callId,
  source: '127.0.0.1:40000',
  monitor: null,
});

async function policy(body: unknown): Promise<KamailioPolicyAnswer> {
  const response = await ask('policy', body);
  expect(response.status, response.text).toBe(200);
  return response.body as KamailioPolicyAnswer;
}

const recordsOf = (callId: string) =>
  server.db.select().from(callRecords).where(eq(callRecords.callId, callId));

beforeAll(async () => {
  server = await startTestServer({ env: { KAMAILIO_SHARED_SECRET: SECRET } });
});
afterAll(() => server?.close());

describe('the Kamailio endpoints', () => {
  it('refuse a request without the shared secret (401) or with a wrong one (403)', async () => {
    const body = invite('agent1', 'agent2');
    expectApiError(await ask('policy', body, null), 401, 'unauthenticated');
    expectApiError(await ask('policy', body, `${SECRET}x`), 403, 'forbidden');
    expectApiError(await ask('dialog', { event: 'start' }, 'short'), 403, 'forbidden');
  });

  it('answer bad input field by field', async () => {
    const error = expectApiError(await ask('policy', { method: 'invite', user: '', callId: '' }), 400);
    expect(Object.keys(error.fields ?? {})).toEqual(expect.arrayContaining(['method', 'user', 'callId']));
  });

  it('answer bad registration reports and keepalives field by field', async () => {
    const registration = expectApiError(
      await ask('registration', { user: '', aor: 'agent1', state: 'gone', contacts: -1 }),
      400,
    );
    expect(Object.keys(registration.fields ?? {})).toEqual(
      expect.arrayContaining(['user', 'state', 'contacts']),
    );
    const keepalive = expectApiError(
      await ask('keepalive', { instance: '', boot: 'soon', interval: 0 }),
      400,
    );
    expect(Object.keys(keepalive.fields ?? {})).toEqual(
      expect.arrayContaining(['instance', 'boot', 'interval']),
    );
  });

  it('end the calls of an instance’s earlier run when it says it started again, and keep its new ones', async () => {
    const profile = await profileWith(['call'], { channelLimit: 2 });
    const a = await makeUser(server.db, { profileId: profile.id });
    const b = await makeUser(server.db, { profileId: profile.id });
    const instance = uniqueName('kam');
    const start = async (boot: number) => {
      const call = invite(a.username, b.username);
      expect(await policy(call)).toEqual({ allow: true });
      const { method: _method, source: _source, monitor: _monitor, ...event } = call;
      expect((await ask('dialog', { ...event, event: 'start', instance, boot })).status).toBe(200);
      return call.callId;
    };
    expect((await ask('keepalive', { instance, boot: 1000, interval: 10 })).status).toBe(200);
    const before = await start(1000);
    expect(
      (
        await ask('dialog', {
          ...invite(a.username, b.username, before),
          event: 'answer',
          method: undefined,
          source: undefined,
          monitor: undefined,
        })
      ).status,
    ).toBe(200);
    // The instance restarted: its first keepalive carries a newer start time.
    expect((await ask('keepalive', { instance, boot: 2000, interval: 10 })).status).toBe(200);
    const after = await start(2000);
    // A late keepalive of the earlier run does not bring it back.
    expect((await ask('keepalive', { instance, boot: 1000, interval: 10 })).status).toBe(200);
    const live = await server.db
      .select({ callId: kamailioCalls.callId })
      .from(kamailioCalls)
      .where(eq(kamailioCalls.instance, instance));
    expect(live).toEqual([{ callId: after }]);
    expect(await recordsOf(before)).toEqual([
      expect.objectContaining({ disposition: 'answered', endedAt: expect.any(Date) }),
    ]);
    expect(await recordsOf(after)).toEqual([expect.objectContaining({ endedAt: null })]);
  });

  it('allow a call between two users whose profiles allow it', async () => {
    expect(await policy(invite('agent1', 'agent2'))).toEqual({ allow: true });
  });

  it('refuse a profile without `call` with the built-in edge’s sentence, and record the refusal once', async () => {
    const profile = await profileWith([]);
    const caller = await makeUser(server.db, { profileId: profile.id });
    const body = invite(caller.username, 'agent2');
    const expected = { allow: false, status: 403, reason: 'Your profile does not allow outgoing calls' };
    expect(await policy(body)).toEqual(expected);
    // The INVITE again (a second Kamailio, a retransmission): the same answer, still one record.
    expect(await policy(body)).toEqual(expected);
    const records = await recordsOf(body.callId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      disposition: 'refused',
      reason: expected.reason,
      fromUserId: caller.id,
    });
  });

  it('refuse a caller claiming someone else’s address, and a number nobody has', async () => {
    expect(await policy({ ...invite('agent1', 'agent2'), fromUri: `sip:agent3@${DOMAIN}` })).toEqual({
      allow: false,
      status: 403,
      reason: 'You may call only from your own address',
    });
    expect(await policy(invite('agent1', 'nobody_here'))).toEqual({
      allow: false,
      status: 404,
      reason: 'Nobody has the number or name nobody_here',
    });
  });

  it('records a call once however many Kamailio instances report it, and counts its channel on every server', async () => {
    const profile = await profileWith(['call'], { channelLimit: 1 });
    const a = await makeUser(server.db, { profileId: profile.id });
    const b = await makeUser(server.db, { profileId: profile.id });
    const c = await makeUser(server.db, { profileId: profile.id });
    const call = invite(a.username, b.username);
    expect(await policy(call)).toEqual({ allow: true });
    const event = { ...call, method: undefined, source: undefined, monitor: undefined };
    const dialog = (kind: 'start' | 'answer' | 'end', extra: object = {}) =>
      ask('dialog', { ...JSON.parse(JSON.stringify(event)), event: kind, ...extra });
    expect((await dialog('start')).status).toBe(200);
    expect((await dialog('start')).status).toBe(200);
    expect(await recordsOf(call.callId)).toHaveLength(1);

    // The profile's one channel is taken: the next call is refused with the edge's sentence.
    expect(await policy(invite(c.username, 'agent1'))).toEqual({
      allow: false,
      status: 403,
      reason: `All 1 channels of profile ${profile.name} are in use`,
    });

    expect((await dialog('answer')).status).toBe(200);
    expect((await dialog('end', { status: 200 })).status).toBe(200);
    expect((await dialog('end', { status: 200 })).status).toBe(200);
    const [record, ...more] = await recordsOf(call.callId);
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({ disposition: 'answered', fromUserId: a.id, toUserId: b.id });
    expect(record?.answeredAt).not.toBeNull();
    expect(record?.endedAt).not.toBeNull();
    expect(await server.db.select().from(kamailioCalls).where(eq(kamailioCalls.callId, call.callId))).toEqual(
      [],
    );
    expect(await policy(invite(c.username, 'agent1'))).toEqual({ allow: true });
  });

  it('records an unanswered call with the final status Kamailio reports', async () => {
    const call = invite('agent1', 'agent3');
    const base = {
      callId: call.callId,
      user: 'agent1',
      fromUri: call.fromUri,
      toUri: call.toUri,
      requestUri: call.requestUri,
    };
    expect((await ask('dialog', { ...base, event: 'start' })).status).toBe(200);
    expect((await ask('dialog', { ...base, event: 'end', status: 486, reason: 'Busy Here' })).status).toBe(
      200,
    );
    expect(await recordsOf(call.callId)).toEqual([
      expect.objectContaining({ disposition: 'busy', reason: 'Busy Here', answeredAt: null }),
    ]);
  });

  it('holds a profile’s capacity on REGISTER, counting the seats in Kamailio’s shared location table', async () => {
    const profile = await profileWith(['call'], { capacity: 1 });
    const seated = await makeUser(server.db, { profileId: profile.id });
    const other = await makeUser(server.db, { profileId: profile.id });
    const register = (user: string) => ({
      method: 'REGISTER',
      user,
      fromUri: `sip:${user}@${DOMAIN}`,
      toUri: `sip:${user}@${DOMAIN}`,
      requestUri: `sip:${DOMAIN}`,
      callId: uniqueName('reg'),
      source: '127.0.0.1:40001',
    });
    expect(await policy(register(seated.username))).toEqual({ allow: true });
    await server.db.insert(kamailioLocation).values({
      ruid: uniqueName('ruid'),
      username: seated.username,
      contact: 'sip:abc@df7jal23ls0d.invalid;transport=ws',
      expires: new Date(Date.now() + 600_000),
    });
    // The seated user registers again (a refresh): allowed; someone else takes the last seat: no.
    expect(await policy(register(seated.username))).toEqual({ allow: true });
    expect(await policy(register(other.username))).toEqual({
      allow: false,
      status: 403,
      reason: 'Profile capacity reached (1 of 1 signed in)',
    });
    expect(await policy({ ...register(other.username), toUri: `sip:${seated.username}@${DOMAIN}` })).toEqual({
      allow: false,
      status: 403,
      reason: 'You may register only your own address',
    });
  });

  it('refuses ephemeral credentials of an older generation (signed out since)', async () => {
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    expect(await policy({ ...invite('agent1', 'agent2'), authUsername: `${expiry}:agent1:0` })).toEqual({
      allow: true,
    });
    expect(await policy({ ...invite('agent1', 'agent2'), authUsername: `${expiry}:agent1:7` })).toMatchObject(
      {
        allow: false,
        status: 403,
      },
    );
  });
});
