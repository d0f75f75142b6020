import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatListSchema, sipCredentialsSchema } from '../../contracts/sip';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { findUserByUsername, updateUser } from '../../server/store/users-repository';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { digestAnswer, newCallId, newTag, RawSipClient, register } from './raw-sip-client';
import { TestPhone } from './sipjs-phone';

let server: EdgeTestServer;
const clients: RawSipClient[] = [];
const phones: TestPhone[] = [];

beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => {
  for (const client of clients) client.terminate();
  for (const phone of phones) await phone.stop();
  await server.stop();
});

const domain = () => server.config.sipDomain;
const password = (user: string) => server.passwords.get(user) ?? '';
async function client(): Promise<RawSipClient> {
  const c = await RawSipClient.connect(server.wsUrl);
  clients.push(c);
  return c;
}
async function signIn(username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: password(username) }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('REGISTER over WebSocket', () => {
  it('registers sip.js (MD5 digest) and shows the seat', async () => {
    const phone = await TestPhone.online({
      wsUrl: server.wsUrl,
      domain: domain(),
      user: 'agent1',
      password: password('agent1'),
    });
    phones.push(phone);
    expect(phone.registered).toBe(true);
    const agents = await findProfileByName(server.db, 'agents');
    expect(server.edge.live.seatsInUse(agents?.id ?? 0)).toBe(1);
    await phone.stop();
    phones.pop();
    await until(() => server.edge.live.seatsInUse(agents?.id ?? 0) === 0);
  });

  it('registers raw SIP with SHA-256, returns the Contact with expires, un-registers', async () => {
    const c = await client();
    const ok = await register(c, {
      domain: domain(),
      user: 'agent2',
      password: password('agent2'),
      algorithm: 'SHA-256',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('contact')).toContain(`${c.contactUser}@${c.host}`);
    expect(ok.headers.get('contact')).toMatch(/;expires=(59\d|600)/);
    expect(ok.headers.getAll('via')).toHaveLength(1);
    expect(server.edge.control.listSeats().map((s) => s.username)).toContain('agent2');
    const gone = await register(c, {
      domain: domain(),
      user: 'agent2',
      password: password('agent2'),
      expires: 0,
    });
    expect(gone.status).toBe(200);
    expect(server.edge.control.listSeats().map((s) => s.username)).not.toContain('agent2');
  });

  it('refreshes a binding in place, taking the Contact parameters the phone sends now', async () => {
    const c = await client();
    const as = (contactParams: string, expires = 600) =>
      register(c, { domain: domain(), user: 'agent2', password: password('agent2'), contactParams, expires });
    const seatsOfAgent2 = () => server.edge.control.listSeats().filter((s) => s.username === 'agent2');

    const first = await as(';reg-id=1');
    expect(first.headers.getAll('contact')).toEqual([expect.stringMatching(/;reg-id=1;expires=(59\d|600)$/)]);
    const [seat] = seatsOfAgent2();
    expect(seat?.userAgent).toBe('raw-sip-test');

    const same = await as(';reg-id=1');
    expect(same.headers.getAll('contact')).toEqual(first.headers.getAll('contact'));
    const changed = await as(';reg-id=2;+sip.instance="<urn:uuid:1>"');
    expect(changed.headers.getAll('contact')).toEqual([
      expect.stringMatching(/;reg-id=2;\+sip\.instance="<urn:uuid:1>";expires=(59\d|600)$/),
    ]);
    const after = seatsOfAgent2();
    expect(after.map((s) => [s.userAgent, s.since])).toEqual([[seat?.userAgent, seat?.since]]);

    expect((await as('', 0)).status).toBe(200);
    expect(seatsOfAgent2()).toEqual([]);
  });

  it('offers SHA-256 first and MD5 last (sip.js keeps the last), with qop=auth', async () => {
    const c = await client();
    const callId = newCallId();
    c.send({
      method: 'REGISTER',
      uri: `sip:${domain()}`,
      from: `<sip:agent3@${domain()}>;tag=${newTag()}`,
      to: `<sip:agent3@${domain()}>`,
      callId,
      cseq: 1,
      headers: [['Contact', c.contact]],
    });
    const challenge = await c.response(callId, 'REGISTER');
    expect(challenge.status).toBe(401);
    const offers = challenge.headers.getAll('www-authenticate');
    expect(offers[0]).toMatch(/algorithm=SHA-256/);
    expect(offers[1]).toMatch(/algorithm=MD5/);
    for (const offer of offers) expect(offer).toMatch(/qop="auth"/);
  });

  it('refuses a wrong password: sip.js sees 401; repeated guesses, on any connection, get 403', async () => {
    // Counted per user and address (here loopback), not per connection: sip.js's guess counts too.
    const phone = new TestPhone({
      wsUrl: server.wsUrl,
      domain: domain(),
      user: 'operator',
      password: 'wrong-password',
    });
    phones.push(phone);
    await phone.ua.start();
    expect(await phone.register()).toBe(401);
    expect(phone.registered).toBe(false);

    const c = await client();
    const answers = [];
    // SIGNIN_MAX_FAILURES is 5 by default: sip.js's guess and four more.
    expect(server.config.signInMaxFailures).toBe(5);
    for (let i = 0; i < 4; i++) {
      answers.push(await register(c, { domain: domain(), user: 'operator', password: 'guess' + i }));
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 403]);
    expect(answers.at(-1)?.reason).toMatch(/^Too many wrong passwords; try again in \d+ seconds$/);
  });

  it('refuses a replayed nonce (same nc) with a stale challenge', async () => {
    const c = await client();
    const callId = newCallId();
    const aor = `<sip:agent3@${domain()}>`;
    const base = {
      method: 'REGISTER',
      uri: `sip:${domain()}`,
      from: `${aor};tag=${newTag()}`,
      to: aor,
      callId,
    };
    c.send({ ...base, cseq: 1, headers: [['Contact', c.contact]] });
    const challenge = await c.response(callId, 'REGISTER');
    const authorization = digestAnswer({
      challenge: challenge.headers.get('www-authenticate') ?? '',
      username: 'agent3',
      password: password('agent3'),
      method: 'REGISTER',
      uri: base.uri,
    });
    c.send({
      ...base,
      cseq: 2,
      headers: [
        ['Contact', c.contact],
        ['Authorization', authorization],
      ],
    });
    expect((await c.response(callId, 'REGISTER')).status).toBe(200);
    c.send({
      ...base,
      cseq: 3,
      headers: [
        ['Contact', c.contact],
        ['Authorization', authorization],
      ],
    });
    const replay = await c.response(callId, 'REGISTER');
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toMatch(/stale=true/);
    // A forged nonce is refused too.
    const forged = authorization.replace(
      /nonce="[^"]+"/,
      'nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"',
    );
    c.send({
      ...base,
      cseq: 4,
      headers: [
        ['Contact', c.contact],
        ['Authorization', forged],
      ],
    });
    expect((await c.response(callId, 'REGISTER')).status).toBe(401);
    await register(c, { domain: domain(), user: 'agent3', password: password('agent3'), expires: 0 });
  });

  it('refuses a user without a profile: 403 "No SIP profile"', async () => {
    const user = await findUserByUsername(server.db, 'agent3');
    await updateUser(server.db, user?.id ?? 0, { profileId: null });
    server.deps.events.publish({ entity: 'user', id: user?.id ?? 0 });
    try {
      const c = await client();
      const refused = await register(c, { domain: domain(), user: 'agent3', password: password('agent3') });
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe('No SIP profile');
    } finally {
      const agents = await findProfileByName(server.db, 'agents');
      await updateUser(server.db, user?.id ?? 0, { profileId: agents?.id ?? null });
      server.deps.events.publish({ entity: 'user', id: user?.id ?? 0 });
    }
  });

  it('enforces the profile capacity: 403 "Profile capacity reached (1 of 1 signed in)"', async () => {
    const supervisors = await findProfileByName(server.db, 'supervisors');
    const id = supervisors?.id ?? 0;
    await updateProfile(server.db, id, { capacity: 1 });
    server.deps.events.publish({ entity: 'profile', id });
    try {
      const first = await client();
      expect(
        (await register(first, { domain: domain(), user: 'supervisor', password: password('supervisor') }))
          .status,
      ).toBe(200);
      // The same user's second device takes no new seat.
      const second = await client();
      expect(
        (await register(second, { domain: domain(), user: 'supervisor', password: password('supervisor') }))
          .status,
      ).toBe(200);
      const other = new TestPhone({
        wsUrl: server.wsUrl,
        domain: domain(),
        user: 'admin',
        password: password('admin'),
      });
      phones.push(other);
      await other.ua.start();
      const c = await client();
      const refused = await register(c, { domain: domain(), user: 'admin', password: password('admin') });
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe('Profile capacity reached (1 of 1 signed in)');
      expect(await other.register()).toBe(403);
      expect(server.edge.live.seatsInUse(id)).toBe(1);
      first.close();
      second.close();
      await until(() => server.edge.live.seatsInUse(id) === 0);
      expect(
        (await register(c, { domain: domain(), user: 'admin', password: password('admin') })).status,
      ).toBe(200);
      c.close();
    } finally {
      await updateProfile(server.db, id, { capacity: 10 });
      server.deps.events.publish({ entity: 'profile', id });
    }
  });

  it('refuses registering someone else’s address', async () => {
    const c = await client();
    const callId = newCallId();
    const aor = `<sip:agent1@${domain()}>`;
    const base = {
      method: 'REGISTER',
      uri: `sip:${domain()}`,
      from: `${aor};tag=${newTag()}`,
      to: aor,
      callId,
    };
    c.send({ ...base, cseq: 1, headers: [['Contact', c.contact]] });
    const challenge = await c.response(callId, 'REGISTER');
    const authorization = digestAnswer({
      challenge: challenge.headers.get('www-authenticate') ?? '',
      username: 'agent2',
      password: password('agent2'),
      method: 'REGISTER',
      uri: base.uri,
    });
    c.send({
      ...base,
      cseq: 2,
      headers: [
        ['Contact', c.contact],
        ['Authorization', authorization],
      ],
    });
    expect((await c.response(callId, 'REGISTER')).status).toBe(403);
  });
});

describe('short-lived credentials and seats over HTTP', () => {
  it('issues ephemeral credentials that register sip.js; seats list and sign-out', async () => {
    const cookie = await signIn('agent2');
    const response = await fetch(`${server.url}/api/sip/credentials`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const credentials = sipCredentialsSchema.parse(await response.json());
    expect(credentials).toMatchObject({ wsPath: '/sip', extension: '1002', realm: domain(), iceServers: [] });
    expect(credentials.username).toMatch(/^[0-9]+:agent2:[0-9]+$/);
    const phone = await TestPhone.online({
      wsUrl: server.wsUrl,
      domain: credentials.domain,
      user: credentials.authorizationUser,
      authUser: credentials.username,
      password: credentials.password,
    });
    phones.push(phone);

    const supervisorCookie = await signIn('supervisor');
    expect((await fetch(`${server.url}/api/seats`, { headers: { cookie } })).status).toBe(403);
    const seats = seatListSchema.parse(
      await (await fetch(`${server.url}/api/seats`, { headers: { cookie: supervisorCookie } })).json(),
    );
    const seat = seats.items.find((s) => s.username === 'agent2');
    expect(seat).toMatchObject({ profileName: 'agents', extension: '1002' });
    const dropped = await fetch(`${server.url}/api/seats/${seat?.id ?? ''}`, {
      method: 'DELETE',
      headers: { cookie: supervisorCookie },
    });
    expect(dropped.status).toBe(204);
    expect(server.edge.control.listSeats().some((s) => s.username === 'agent2')).toBe(false);
    expect(
      (
        await fetch(`${server.url}/api/seats/${seat?.id ?? ''}`, {
          method: 'DELETE',
          headers: { cookie: supervisorCookie },
        })
      ).status,
    ).toBe(404);
  });

  it('refuses credentials to a user without a profile and to strangers', async () => {
    expect((await fetch(`${server.url}/api/sip/credentials`)).status).toBe(401);
  });
});
