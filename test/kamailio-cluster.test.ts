import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipCredentialsSchema } from '../contracts/sip';
import type { SipRequest, SipResponse } from '../server/sip/message/sip-message';
import { openDatabase, type Database } from '../server/store/database';
import { callRecords, kamailioCalls, kamailioLocation } from '../server/store/schema';
import { ApiClient } from './api/support/api-client';
import { makeUser } from './api/support/fixtures';
import { insertProfile } from '../server/store/profiles-repository';
import { digestAnswer, newCallId, newTag, RawSipClient, register } from './sip/raw-sip-client';
import { sdp } from './sip/raw-dialogs';
import { kamailioClusterMissing, startTestCluster, type TestCluster } from './support/kamailio-cluster';

const DOMAIN = 'switchboard.local';
const missing = kamailioClusterMissing();

let cluster: TestCluster;
let database: Database;
const clients: RawSipClient[] = [];

/** The short-lived SIP credentials a web session on `serverUrl` gets. */
async function webCredentials(serverUrl: string, username: string) {
  const login = cluster.logins[username];
  if (!login) throw new Error(`No demo login for ${username} in the first server's output`);
  const api = new ApiClient(serverUrl);
  expect((await api.signIn(username, login.password)).status).toBe(200);
  const answer = await api.get('/api/sip/credentials');
  expect(answer.status, answer.text).toBe(200);
  return sipCredentialsSchema.parse(answer.body);
}

async function phone(url: string): Promise<RawSipClient> {
  const client = await RawSipClient.connect(url);
  clients.push(client);
  return client;
}

/** An INVITE from `caller` (answering Kamailio's 407 with `auth`), returning the final response. */
async function invite(
  caller: RawSipClient,
  from: string,
  to: string,
  auth: { username: string; password: string },
  mark?: string,
): Promise<{ response: SipResponse; callId: string; fromTag: string }> {
  const callId = newCallId();
  const fromTag = newTag();
  const base = {
    method: 'INVITE',
    uri: `sip:${to}@${DOMAIN}`,
    from: `<sip:${from}@${DOMAIN}>;tag=${fromTag}`,
    to: `<sip:${to}@${DOMAIN}>`,
    callId,
    body: sdp,
  };
  const headers: [string, string][] = [
    ['Contact', caller.contact],
    ['Content-Type', 'application/sdp'],
    // Clients may not set the monitor mark: Kamailio strips it (or asks the policy about it).
    ...(mark ? [['X-Switchboard-Monitor', mark] as [string, string]] : []),
  ];
  caller.send({ ...base, cseq: 1, headers });
  const challenge = await caller.response(callId, 'INVITE');
  if (challenge.status !== 407) return { response: challenge, callId, fromTag };
  caller.send({
    method: 'ACK',
    uri: base.uri,
    from: base.from,
    to: challenge.headers.get('to') ?? base.to,
    callId,
    cseq: 1,
  });
  const offer = challenge.headers.getAll('proxy-authenticate')[0] ?? '';
  caller.send({
    ...base,
    cseq: 2,
    headers: [
      ...headers,
      ['Proxy-Authorization', digestAnswer({ challenge: offer, ...auth, method: 'INVITE', uri: base.uri })],
    ],
  });
  let response = await caller.response(callId, 'INVITE', false, 10_000);
  while (response.status < 200) response = await caller.response(callId, 'INVITE', false, 10_000);
  return { response, callId, fromTag };
}

describe.skipIf(missing !== null)('two Switchboard servers behind two Kamailio instances', () => {
  beforeAll(async () => {
    cluster = await startTestCluster();
    database = await openDatabase({ kind: 'postgres', url: cluster.databaseUrl, max: 2 });
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await database?.close();
    await cluster?.stop();
  });

  it('registers phones with credentials from two different servers and calls between them; the record exists once', async () => {
    const [serverA, serverB] = cluster.servers;
    const [edge1, edge2] = cluster.kamailios;
    if (!serverA || !serverB || !edge1 || !edge2) throw new Error('The cluster has two of each');
    const agent1 = await webCredentials(serverA.url, 'agent1');
    const agent2 = await webCredentials(serverB.url, 'agent2');
    // The web app is told both edges (SIP_WS_URLS).
    expect(agent1).toMatchObject({ realm: DOMAIN });

    const phone1 = await phone(edge1.url);
    const phone2 = await phone(edge2.url);
    const registered1 = await register(phone1, {
      domain: DOMAIN,
      user: 'agent1',
      authUser: agent1.username,
      password: agent1.password,
    });
    expect(registered1.status, registered1.reason).toBe(200);
    const registered2 = await register(phone2, {
      domain: DOMAIN,
      user: 'agent2',
      authUser: agent2.username,
      password: agent2.password,
    });
    expect(registered2.status, registered2.reason).toBe(200);
    const locations = await database.db.select().from(kamailioLocation);
    expect(locations.map((l) => l.username).sort()).toEqual(['agent1', 'agent2']);

    // agent1 on Kamailio 1 calls agent2, whose phone is on Kamailio 2.
    const ringing = phone2.request('INVITE', 15_000);
    // A mark the client made up (no mode the policy knows) is taken off, never passed on.
    const call = invite(
      phone1,
      'agent1',
      'agent2',
      { username: agent1.username, password: agent1.password },
      'forged;call-id="someone-else"',
    );
    const offered: SipRequest = await ringing;
    expect(offered.headers.get('x-switchboard-monitor') ?? null).toBeNull();
    const calleeTag = newTag();
    phone2.answer(offered, 200, 'OK', {
      toTag: calleeTag,
      headers: [
        ['Contact', phone2.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    const { response, callId, fromTag } = await call;
    expect(response.status, response.reason).toBe(200);

    // ACK and BYE follow the Record-Route set through both instances.
    const routes = response.headers
      .getAll('record-route')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .reverse();
    const contact = /<([^>]+)>/.exec(response.headers.get('contact') ?? '')?.[1] ?? '';
    const inDialog = (method: string, cseq: number) => ({
      method,
      uri: contact,
      from: `<sip:agent1@${DOMAIN}>;tag=${fromTag}`,
      to: `<sip:agent2@${DOMAIN}>;tag=${calleeTag}`,
      callId,
      cseq,
      headers: routes.map((route): [string, string] => ['Route', route]),
    });
    const acked = phone2.request('ACK', 10_000);
    phone1.send(inDialog('ACK', 2));
    await acked;
    const bye = phone2.request('BYE', 10_000);
    phone1.send(inDialog('BYE', 3));
    phone2.answer(await bye, 200, 'OK');
    expect((await phone1.response(callId, 'BYE', true, 10_000)).status).toBe(200);

    const records = async () => database.db.select().from(callRecords).where(eq(callRecords.callId, callId));
    const deadline = Date.now() + 10_000;
    while ((await records())[0]?.endedAt == null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = await records();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ disposition: 'answered', fromName: expect.any(String) });
    expect(rows[0]?.answeredAt).not.toBeNull();
    expect(rows[0]?.endedAt).not.toBeNull();
  });

  it('refuses a profile without `call` with the built-in edge’s sentence (auth_db, MD5)', async () => {
    const profileId = await insertProfile(database.db, {
      name: 'no_calls',
      capacity: 5,
      channelLimit: 5,
      flags: [],
      bargeGroup: null,
      monitorNotice: false,
    });
    const user = await makeUser(database.db, { profileId });
    const [, edge2] = cluster.kamailios;
    if (!edge2) throw new Error('The cluster has two Kamailio instances');
    const client = await phone(edge2.url);
    const registered = await register(client, {
      domain: DOMAIN,
      user: user.username,
      password: user.password,
    });
    expect(registered.status, registered.reason).toBe(200);
    const { response } = await invite(client, user.username, 'agent1', {
      username: user.username,
      password: user.password,
    });
    expect(response.status).toBe(403);
    expect(response.reason).toBe('Your profile does not allow outgoing calls');
  });

  it('records calls that end unanswered once, and frees their channels', async () => {
    const [, serverB] = cluster.servers;
    const [edge1, edge2] = cluster.kamailios;
    if (!serverB || !edge1 || !edge2) throw new Error('The cluster has two of each');
    const caller = await webCredentials(serverB.url, 'agent1');
    // Phones of their own: agent2 still has the first test's phone registered (a fork that never answers).
    const callee = await webCredentials(serverB.url, 'agent3');
    const phone1 = await phone(edge1.url);
    const phone2 = await phone(edge2.url);
    const auth = { username: caller.username, password: caller.password };
    for (const [client, user, credentials] of [
      [phone1, 'agent1', caller],
      [phone2, 'agent3', callee],
    ] as const) {
      const registered = await register(client, {
        domain: DOMAIN,
        user,
        authUser: credentials.username,
        password: credentials.password,
      });
      expect(registered.status, registered.reason).toBe(200);
    }

    // Busy: the callee's phone answers 486.
    const ringing = phone2.request('INVITE', 15_000);
    const busy = invite(phone1, 'agent1', 'agent3', auth);
    phone2.answer(await ringing, 486, 'Busy Here', { toTag: newTag() });
    const refused = await busy;
    expect(refused.response.status).toBe(486);

    // Nobody to ring: the supervisor has no phone registered.
    const away = await invite(phone1, 'agent1', 'supervisor', auth);
    expect(away.response.status).toBe(480);
    expect(away.response.reason).toBe('Not signed in');

    const recordOf = async (callId: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const rows = await database.db.select().from(callRecords).where(eq(callRecords.callId, callId));
        if (rows[0]?.endedAt != null || Date.now() > deadline) return rows;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    expect(await recordOf(refused.callId)).toEqual([
      expect.objectContaining({ disposition: 'busy', reason: 'Busy Here', answeredAt: null }),
    ]);
    expect(await recordOf(away.callId)).toEqual([
      expect.objectContaining({ disposition: 'missed', reason: 'Not signed in' }),
    ]);
    expect(await database.db.select().from(kamailioCalls)).toEqual([]);
  });

  it('fails closed: a Kamailio whose Switchboard servers are all gone answers 503 with a reason', async () => {
    const [serverA, serverB] = cluster.servers;
    const [edge1] = cluster.kamailios;
    if (!serverA || !serverB || !edge1) throw new Error('The cluster has two of each');
    const operator = await webCredentials(serverA.url, 'operator');
    // Kamailio 1 asks server A, then server B when A cannot be reached.
    await serverA.stop();
    await serverB.stop();
    const client = await phone(edge1.url);
    const registered = await register(client, {
      domain: DOMAIN,
      user: 'operator',
      authUser: operator.username,
      password: operator.password,
    });
    expect(registered.status).toBe(503);
    expect(registered.reason).toBe('Switchboard cannot be reached; try again shortly');
  });
});

if (missing !== null) {
  describe('two Switchboard servers behind two Kamailio instances', () => {
    it.skip(`needs Kamailio and PostgreSQL: ${missing}`, () => undefined);
  });
}
