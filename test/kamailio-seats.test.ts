import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceListSchema } from '../contracts/devices';
import { liveEventSchema } from '../contracts/events';
import { seatListSchema } from '../contracts/sip';
import {
  findClusterKamailio,
  prepareKamailioDatabase,
  startKamailio,
  type KamailioInstance,
} from '../scripts/cluster/kamailio-process';
import { openDatabase, type Database } from '../server/store/database';
import { kamailioLocation } from '../server/store/schema';
import type { ApiClient } from './api/support/api-client';
import { openEventStream, type SseEvent } from './api/support/sse';
import { register, RawSipClient } from './sip/raw-sip-client';
import { kamailioClusterMissing, startTestCluster, type TestCluster } from './support/kamailio-cluster';
import { DOMAIN, signedIn, webCredentials } from './support/kamailio-phones';
import { freePort } from './support/server-process';

// Phones registered through Kamailio are seats like the built-in edge's: the console's seat list
// and a user's devices page show them, dropping one is refused with a reason, and a registration
// left to run out is announced and leaves the lists.

const missing = kamailioClusterMissing();

let cluster: TestCluster;
let database: Database;
/** A third instance granting registrations as short as 5 s (MIN_EXPIRES), so one can run out here. */
let shortLived: KamailioInstance | null = null;
const clients: RawSipClient[] = [];

const registrationChange = (event: SseEvent) =>
  event.event === 'change' && liveEventSchema.parse(JSON.parse(event.data)).entity === 'registration';

async function seatsOf(api: ApiClient) {
  const answer = await api.get('/api/seats');
  expect(answer.status, answer.text).toBe(200);
  return seatListSchema.parse(answer.body).items;
}

/** `user`'s phone registered through the Kamailio at `url` with a web session's credentials. */
async function registerThrough(url: string, serverUrl: string, user: string, expires: number) {
  const credentials = await webCredentials(cluster, serverUrl, user);
  const client = await RawSipClient.connect(url);
  clients.push(client);
  const answer = await register(client, {
    domain: DOMAIN,
    user,
    authUser: credentials.username,
    password: credentials.password,
    expires,
  });
  expect(answer.status, answer.reason).toBe(200);
  return client;
}

describe.skipIf(missing !== null)('Phones registered through Kamailio in the seat list', () => {
  beforeAll(async () => {
    cluster = await startTestCluster();
    database = await openDatabase({ kind: 'postgres', url: cluster.databaseUrl, max: 2 });
    const found = findClusterKamailio();
    const [serverA] = cluster.servers;
    if ('missing' in found || !serverA) throw new Error('The cluster runs Kamailio and two servers');
    shortLived = await startKamailio({
      binary: found.binary,
      listenIp: '127.0.0.3',
      wsPort: await freePort(),
      peerPort: await freePort(),
      databaseUrl: cluster.databaseUrl,
      realm: DOMAIN,
      switchboardUrl: serverA.url,
      sharedSecret: cluster.sharedSecret,
      ephemeralSecret: (await prepareKamailioDatabase(cluster.databaseUrl)).ephemeralSecret,
      defines: ['INSTANCE_ID="seats-3"', 'MIN_EXPIRES=5'],
    });
  });

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await shortLived?.stop();
    await database?.close();
    await cluster?.stop();
  });

  it('lists the phone on every server, on the devices page too, and refuses to drop it with a reason', async () => {
    const [serverA, serverB] = cluster.servers;
    const edge1 = cluster.kamailios[0];
    if (!serverA || !serverB || !edge1) throw new Error('The cluster has two servers and two Kamailios');
    // Kamailio 1 reports to server A; the supervisor and the agent read from server B.
    const supervisor = await signedIn(cluster, serverB.url, 'supervisor');
    const agent = await signedIn(cluster, serverB.url, 'agent1');
    const stream = await openEventStream(supervisor);
    try {
      await stream.next((e) => e.event === 'ready');
      expect((await seatsOf(supervisor)).filter((s) => s.username === 'agent1')).toEqual([]);

      const announced = stream.next(registrationChange, 10_000);
      await registerThrough(edge1.url, serverA.url, 'agent1', 600);
      await announced;

      const seats = (await seatsOf(supervisor)).filter((s) => s.username === 'agent1');
      expect(seats).toHaveLength(1);
      const [seat] = seats;
      if (!seat) throw new Error('unreachable');
      expect(seat).toMatchObject({
        id: expect.stringMatching(/^kamailio:/),
        extension: expect.any(String),
        userAgent: 'raw-sip-test',
        remoteAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      });
      const lasts = Date.parse(seat.expiresAt) - Date.parse(seat.since);
      expect(lasts).toBeGreaterThan(595_000);
      expect(lasts).toBeLessThan(605_000);

      const devices = await agent.get('/api/me/devices');
      expect(devices.status, devices.text).toBe(200);
      expect(deviceListSchema.parse(devices.body).browser.registrations).toEqual([
        {
          transport: 'ws',
          remoteAddress: seat.remoteAddress,
          userAgent: 'raw-sip-test',
          since: seat.since,
          expiresAt: seat.expiresAt,
        },
      ]);

      const dropped = await supervisor.delete(`/api/seats/${encodeURIComponent(seat.id)}`);
      expect(dropped.status, dropped.text).toBe(409);
      expect(dropped.text).toContain('registered through Kamailio');
      expect((await seatsOf(supervisor)).map((s) => s.id)).toContain(seat.id);
    } finally {
      await stream.close();
    }
  });

  it('announces a registration that ran out and drops it from the lists', async () => {
    const [, serverB] = cluster.servers;
    if (!serverB || !shortLived) throw new Error('The cluster has two servers and the short-lived Kamailio');
    const supervisor = await signedIn(cluster, serverB.url, 'supervisor');
    const agent = await signedIn(cluster, serverB.url, 'agent2');
    const stream = await openEventStream(supervisor);
    try {
      await stream.next((e) => e.event === 'ready');
      const announced = stream.next(registrationChange, 10_000);
      await registerThrough(shortLived.url, serverB.url, 'agent2', 5);
      await announced;
      const [seat] = (await seatsOf(supervisor)).filter((s) => s.username === 'agent2');
      if (!seat) throw new Error('agent2’s phone is not in the seat list');
      const lasts = Date.parse(seat.expiresAt) - Date.parse(seat.since);
      expect(lasts).toBeGreaterThan(3_000);
      expect(lasts).toBeLessThan(7_000);

      // Nothing refreshes it: it runs out, and that is announced like a sign-out.
      const registeredAt = Date.now();
      await stream.next(registrationChange, 15_000);
      expect(Date.now() - registeredAt).toBeGreaterThan(3_000);
      expect((await seatsOf(supervisor)).filter((s) => s.username === 'agent2')).toEqual([]);
      const devices = await agent.get('/api/me/devices');
      expect(deviceListSchema.parse(devices.body).browser.registrations).toEqual([]);
      const rows = await database.db
        .select()
        .from(kamailioLocation)
        .where(eq(kamailioLocation.userAgent, 'raw-sip-test'));
      // agent1's from the first test stays; agent2's expired row is gone.
      expect(rows).toHaveLength(1);
    } finally {
      await stream.close();
    }
  });
});
