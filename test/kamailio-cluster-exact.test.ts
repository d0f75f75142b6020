import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventSchema } from '../contracts/events';
import { monitorBoardSchema } from '../contracts/monitor';
import { openDatabase, type Database } from '../server/store/database';
import { auditLog, callRecords, kamailioCalls, kamailioLocation } from '../server/store/schema';
import type { ApiClient } from './api/support/api-client';
import { openEventStream, type SseEvent } from './api/support/sse';
import { until } from './api/support/until';
import {
  findClusterKamailio,
  prepareKamailioDatabase,
  startKamailio,
  type KamailioInstance,
} from '../scripts/cluster/kamailio-process';
import { register, RawSipClient } from './sip/raw-sip-client';
import { kamailioClusterMissing, startTestCluster, type TestCluster } from './support/kamailio-cluster';
import { freePort } from './support/server-process';
import {
  call,
  changeMode,
  DOMAIN,
  hangUp,
  signedIn,
  webCredentials,
  type Auth,
} from './support/kamailio-phones';

// What Switchboard is told by Kamailio stays exact: the operator panel reads what an event
// announced, registrations are announced, monitor sessions are recorded, a dead instance's calls
// are ended, and a Kamailio whose server is down asks the other.

const missing = kamailioClusterMissing();
/** Short, so that the dead instance's calls are ended within the test (the keepalive is every 10 s). */
const SILENCE_S = 15;

let cluster: TestCluster;
let database: Database;
const clients: RawSipClient[] = [];
const phones = new Map<string, { client: RawSipClient; auth: Auth }>();
/** Kamailio 2 started again by a test (the cluster stops only the instances it started). */
let restarted: KamailioInstance | null = null;

/** A phone for `user` registered through Kamailio `edge` with a web session's credentials from `serverUrl`. */
async function phoneOf(user: string, edge: number, serverUrl: string, contactParams = '') {
  const kamailio = cluster.kamailios[edge];
  if (!kamailio) throw new Error(`The cluster has no Kamailio ${edge}`);
  const credentials = await webCredentials(cluster, serverUrl, user);
  const client = await RawSipClient.connect(kamailio.url);
  clients.push(client);
  const auth = { username: credentials.username, password: credentials.password };
  const registered = await register(client, {
    domain: DOMAIN,
    user,
    authUser: auth.username,
    password: auth.password,
    contactParams,
  });
  expect(registered.status, registered.reason).toBe(200);
  phones.set(user, { client, auth });
  return { client, auth };
}

const change = (entity: string) => (event: SseEvent) =>
  event.event === 'change' && liveEventSchema.parse(JSON.parse(event.data)).entity === entity;

/** Agent Two's row on the operator's board, read now. */
async function agentTwoOn(operator: ApiClient) {
  const answer = await operator.get('/api/monitor/board');
  expect(answer.status, answer.text).toBe(200);
  const board = monitorBoardSchema.parse(answer.body);
  const row = board.members.find((member) => member.username === 'agent2');
  if (!row) throw new Error('agent2 is not on the operator’s board (floor_1)');
  return { state: row.state, calls: row.calls.map((c) => c.state) };
}

/** A call placed through Kamailio, answered, and noted in kamailio_calls by the instance named. */
async function callThrough(instance: string, parties: Parameters<typeof call>[0]) {
  const placed = await call(parties);
  expect(placed.response.status, placed.response.reason).toBe(200);
  expect(await database.db.select({ instance: kamailioCalls.instance }).from(kamailioCalls)).toEqual([
    { instance },
  ]);
  return placed;
}

describe.skipIf(missing !== null)('Kamailio reports keep Switchboard exact', () => {
  beforeAll(async () => {
    cluster = await startTestCluster({ KAMAILIO_SILENCE_S: String(SILENCE_S) });
    database = await openDatabase({ kind: 'postgres', url: cluster.databaseUrl, max: 2 });
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await restarted?.stop();
    await database?.close();
    await cluster?.stop();
  });

  it('the operator panel on either server reads what each registration and call event announced', async () => {
    const [serverA, serverB] = cluster.servers;
    if (!serverA || !serverB) throw new Error('The cluster has two servers');
    // The operator's panel on server B (the other server than the one Kamailio 1 reports to) and on A.
    const operators = [
      await signedIn(cluster, serverB.url, 'operator'),
      await signedIn(cluster, serverA.url, 'operator'),
    ];
    const streams = await Promise.all(operators.map((operator) => openEventStream(operator)));
    for (const stream of streams) await stream.next((e) => e.event === 'ready');
    /** After the next `entity` event on each panel, the board read at once on that panel. */
    const boardsAfterNext = (entity: string) =>
      Promise.all(
        streams.map(async (stream, index) => {
          await stream.next(change(entity), 10_000);
          return agentTwoOn(operators[index] as ApiClient);
        }),
      );
    try {
      expect((await agentTwoOn(operators[0] as ApiClient)).state).toBe('offline');

      // agent2 on Kamailio 1 (which asks server A first), agent3 on Kamailio 2.
      const registered = boardsAfterNext('registration');
      const agent2 = await phoneOf('agent2', 0, serverA.url);
      expect(await registered).toEqual([
        { state: 'available', calls: [] },
        { state: 'available', calls: [] },
      ]);
      const agent3 = await phoneOf('agent3', 1, serverB.url);
      // Kamailio 2's registration of agent3 is announced too (it is not on agent2's row).
      await Promise.all(streams.map((stream) => stream.next(change('registration'), 10_000)));

      // Kamailio reports the start before it forwards the INVITE, the answer before the 200.
      let ringingBoards: unknown;
      const placed = await call({
        caller: agent2.client,
        callee: agent3.client,
        from: 'agent2',
        to: 'agent3',
        auth: agent2.auth,
        ringing: async () => {
          ringingBoards = await boardsAfterNext('call');
        },
      });
      expect(placed.response.status, placed.response.reason).toBe(200);
      expect(ringingBoards).toEqual([
        { state: 'ringing', calls: ['ringing'] },
        { state: 'ringing', calls: ['ringing'] },
      ]);
      expect(await boardsAfterNext('call')).toEqual([
        { state: 'on_call', calls: ['answered'] },
        { state: 'on_call', calls: ['answered'] },
      ]);

      const ended = boardsAfterNext('call');
      await hangUp(agent2.client, agent3.client, placed.call);
      expect(await ended).toEqual([
        { state: 'available', calls: [] },
        { state: 'available', calls: [] },
      ]);

      // Signing the phone out (Expires 0) is announced too, and so is signing it in again.
      const agent2Register = (expires: number) =>
        register(agent2.client, {
          domain: DOMAIN,
          user: 'agent2',
          authUser: agent2.auth.username,
          password: agent2.auth.password,
          expires,
        });
      const signedOut = boardsAfterNext('registration');
      expect((await agent2Register(0)).status).toBe(200);
      expect(await signedOut).toEqual([
        { state: 'offline', calls: [] },
        { state: 'offline', calls: [] },
      ]);
      const back = boardsAfterNext('registration');
      expect((await agent2Register(600)).status).toBe(200);
      expect(await back).toEqual([
        { state: 'available', calls: [] },
        { state: 'available', calls: [] },
      ]);
    } finally {
      for (const stream of streams) await stream.close();
    }
  });

  it('a monitor session through Kamailio is written into the monitored call’s record and the audit log', async () => {
    const [serverA] = cluster.servers;
    if (!serverA) throw new Error('The cluster has two servers');
    const agent2 = phones.get('agent2');
    const agent3 = phones.get('agent3');
    if (!agent2 || !agent3) throw new Error('The first test registers agent2 and agent3');
    // Whisper needs a phone that mixes: agent3's registers again with the feature tag.
    const mixing = await phoneOf('agent3', 1, serverA.url, ';+switchboard.mix');
    const operator = await phoneOf('operator', 0, serverA.url);

    const placed = await call({
      caller: agent2.client,
      callee: mixing.client,
      from: 'agent2',
      to: 'agent3',
      auth: agent2.auth,
    });
    expect(placed.response.status, placed.response.reason).toBe(200);
    // The operator listens to agent3 (extension 1003), then whispers, then hangs up.
    const session = await call({
      caller: operator.client,
      callee: mixing.client,
      from: 'operator',
      to: '1003',
      auth: operator.auth,
      mark: 'listen',
    });
    expect(session.response.status, session.response.reason).toBe(200);
    expect(session.offered.headers.get('x-switchboard-monitor')).toMatch(/^listen;call-id=/);
    const whisper = await changeMode(operator.client, mixing.client, session.call, 'whisper', operator.auth);
    expect(whisper.status, whisper.reason).toBe(200);
    await hangUp(operator.client, mixing.client, session.call);

    const recordOf = () =>
      database.db.select().from(callRecords).where(eq(callRecords.callId, placed.call.callId));
    const [record] = await until(
      recordOf,
      (rows) => (rows[0]?.monitoring as { endedAt: string | null }[] | undefined)?.[0]?.endedAt != null,
      10_000,
    );
    expect(record?.monitoring).toEqual([
      {
        id: session.call.callId,
        byUserId: expect.any(Number),
        byUsername: 'operator',
        mode: 'listen',
        startedAt: expect.any(String),
        endedAt: expect.any(String),
        changes: [{ mode: 'whisper', at: expect.any(String) }],
      },
    ]);
    const audit = await database.db
      .select({ action: auditLog.action, actor: auditLog.actorUsername })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'call'), eq(auditLog.entityId, String(record?.id))));
    expect(audit.map((entry) => entry.action)).toEqual(['monitor.start', 'monitor.mode', 'monitor.stop']);
    expect(new Set(audit.map((entry) => entry.actor))).toEqual(new Set(['operator']));
    await hangUp(agent2.client, mixing.client, placed.call);
  });

  it('a Kamailio whose own server is down asks the next one', async () => {
    const [serverA, serverB] = cluster.servers;
    if (!serverA || !serverB) throw new Error('The cluster has two servers');
    await serverA.stop();
    // Kamailio 1 asks server A first: the REGISTER is decided by server B instead.
    await phoneOf('supervisor', 0, serverB.url);
    const saved = await database.db
      .select({ username: kamailioLocation.username })
      .from(kamailioLocation)
      .where(eq(kamailioLocation.username, 'supervisor'));
    expect(saved).toEqual([{ username: 'supervisor' }]);
  });

  it('ends the calls of a Kamailio that died, after KAMAILIO_SILENCE_S without its keepalive', async () => {
    const [edge1] = cluster.kamailios;
    const agent2 = phones.get('agent2');
    const agent3 = phones.get('agent3');
    if (!edge1 || !agent2 || !agent3) throw new Error('The earlier tests register agent2 and agent3');
    // agent2's phone is on Kamailio 1, which admits the call (through server B: A is down).
    const placed = await callThrough('cluster-1', {
      caller: agent2.client,
      callee: agent3.client,
      from: 'agent2',
      to: 'agent3',
      auth: agent2.auth,
    });

    await edge1.kill();
    const killedAt = Date.now();
    const rows = await until(
      () => database.db.select().from(kamailioCalls),
      (left) => left.length === 0,
      (SILENCE_S + 25) * 1000,
    );
    expect(rows).toEqual([]);
    const seconds = (Date.now() - killedAt) / 1000;
    // Not before the silence has passed, and by the next keepalive of Kamailio 2 after it (every 10 s).
    expect(seconds).toBeGreaterThan(SILENCE_S - 10);
    const [record] = await database.db
      .select()
      .from(callRecords)
      .where(eq(callRecords.callId, placed.call.callId));
    expect(record).toMatchObject({ disposition: 'answered', endedAt: expect.any(Date) });
  });

  it('ends the calls of a Kamailio’s earlier run as soon as it starts again under its INSTANCE_ID', async () => {
    const [serverA, serverB] = cluster.servers;
    const [, edge2] = cluster.kamailios;
    const agent3 = phones.get('agent3');
    if (!serverA || !serverB || !edge2 || !agent3) throw new Error('The earlier tests register agent3');
    const found = findClusterKamailio();
    if ('missing' in found) throw new Error(found.missing);
    // agent3 and agent1 both on Kamailio 2 ("cluster-2"), which admits the call.
    const agent1 = await phoneOf('agent1', 1, serverB.url);
    const placed = await callThrough('cluster-2', {
      caller: agent3.client,
      callee: agent1.client,
      from: 'agent3',
      to: 'agent1',
      auth: agent3.auth,
    });

    await edge2.kill();
    const startedAt = Date.now();
    restarted = await startKamailio({
      binary: found.binary,
      listenIp: '127.0.0.2',
      wsPort: await freePort(),
      peerPort: await freePort(),
      databaseUrl: cluster.databaseUrl,
      realm: DOMAIN,
      switchboardUrl: [serverB.url, serverA.url].join(','),
      sharedSecret: cluster.sharedSecret,
      ephemeralSecret: (await prepareKamailioDatabase(cluster.databaseUrl)).ephemeralSecret,
      defines: ['INSTANCE_ID="cluster-2"'],
    });
    const rows = await until(
      () => database.db.select().from(kamailioCalls),
      (left) => left.length === 0,
      10_000,
    );
    expect(rows).toEqual([]);
    // Its start-up keepalive did it, long before KAMAILIO_SILENCE_S.
    expect(Date.now() - startedAt).toBeLessThan(SILENCE_S * 1000);
    const [record] = await database.db
      .select()
      .from(callRecords)
      .where(eq(callRecords.callId, placed.call.callId));
    expect(record).toMatchObject({ disposition: 'answered', endedAt: expect.any(Date) });
  });

  it('fails closed when every server is down: 503 with a reason', async () => {
    const [, serverB] = cluster.servers;
    const edge2 = restarted;
    if (!serverB || !edge2) throw new Error('The previous test starts Kamailio 2 again');
    const credentials = await webCredentials(cluster, serverB.url, 'agent1');
    await serverB.stop();
    const client = await RawSipClient.connect(edge2.url);
    clients.push(client);
    const registered = await register(client, {
      domain: DOMAIN,
      user: 'agent1',
      authUser: credentials.username,
      password: credentials.password,
    });
    expect(registered.status).toBe(503);
    expect(registered.reason).toBe('Switchboard cannot be reached; try again shortly');
  });
});

if (missing !== null) {
  describe('Kamailio reports keep Switchboard exact', () => {
    it.skip(`needs Kamailio and PostgreSQL: ${missing}`, () => undefined);
  });
}
