import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './api/support/api-client';
import { openFreshDatabase, type FreshDatabase } from './api/support/fresh-database';
import { openEventStream } from './api/support/sse';
import { startServer, type ServerProcess } from './support/server-process';

const databaseUrl = process.env.TEST_DATABASE_URL;

/** Polls until `check` holds: events cross servers a moment after the change, not within the same request. */
async function within<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Far below the 30 s a server trusts what it keeps in memory without hearing of a change. */
const CROSSES_MS = 2000;

// Two real server processes on one fresh PostgreSQL database, as behind a load balancer.
describe.skipIf(!databaseUrl)(
  'two Switchboard servers on one PostgreSQL (needs TEST_DATABASE_URL: a PostgreSQL to create databases on)',
  () => {
    let database: FreshDatabase;
    let a: ServerProcess;
    let b: ServerProcess;
    let adminPassword: string;

    beforeAll(async () => {
      database = await openFreshDatabase();
      const env = { DATABASE_URL: database.url!, SIGNIN_MAX_FAILURES: '5' };
      // One after the other: the first seeds the demo and prints its logins.
      a = await startServer({ buildWeb: false, env });
      b = await startServer({ buildWeb: false, env });
      adminPassword = a.logins.admin!.password;
    });

    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await database?.close();
    });

    async function admin(server: ServerProcess): Promise<ApiClient> {
      const client = new ApiClient(server.apiUrl);
      const response = await client.signIn('admin', adminPassword);
      expect(response.status, response.text).toBe(200);
      return client;
    }

    function sameSession(from: ApiClient, server: ServerProcess): ApiClient {
      const client = new ApiClient(server.apiUrl);
      client.sessionCookie = from.sessionCookie;
      return client;
    }

    it('each holds one connection listening for the other’s events', async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const listeners = await client.query(
          `SELECT application_name FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE 'switchboard events %'`,
        );
        expect(listeners.rowCount).toBe(2);
      } finally {
        await client.end();
      }
      expect(b.output()).not.toMatch(/Lost the PostgreSQL connection/);
    });

    it('takes a session made on A on B, and a sign-out on B ends it on A at once', async () => {
      const onA = await admin(a);
      expect((await onA.get('/api/me')).status).toBe(200);
      const onB = sameSession(onA, b);
      const me = await onB.get<{ user: { username: string } }>('/api/me');
      expect(me.status, me.text).toBe(200);
      expect(me.body.user.username).toBe('admin');

      expect((await onB.delete('/api/session')).status).toBe(204);
      const after = await within(
        CROSSES_MS,
        () => onA.get('/api/me'),
        (response) => response.status === 401,
      );
      expect(after.status, 'A still took the cookie signed out on B').toBe(401);
    });

    it('streams a change made through A to an /api/events client on B, and B sees role changes and deletions made on A', async () => {
      const onA = await admin(a);
      const onB = await admin(b);
      const stream = await openEventStream(onB);
      try {
        await stream.next((event) => event.event === 'ready');
        const profiles = await onA.get<{ id: number }[]>('/api/profiles');
        const username = `multi${Date.now() % 100_000}`;
        const created = await onA.post<{ user: { id: number }; password: string }>('/api/users', {
          json: {
            username,
            displayName: 'Mia Multi',
            extension: String(5000 + (Date.now() % 4000)),
            role: 'agent',
            profileId: profiles.body[0]?.id ?? null,
          },
        });
        expect(created.status, created.text).toBe(201);
        const { user, password } = created.body;
        const heard = await stream.next((event) => event.event === 'change' && event.data.includes('"user"'));
        expect(JSON.parse(heard.data)).toEqual({ entity: 'user', id: user.id });

        // The new user works on B, which cached their session and person on first use.
        const agent = new ApiClient(b.apiUrl);
        expect((await agent.signIn(username, password)).status).toBe(200);
        const before = await agent.get<{ user: { role: string } }>('/api/me');
        expect(before.body.user.role).toBe('agent');

        const promoted = await onA.patch(`/api/users/${user.id}`, { json: { role: 'supervisor' } });
        expect(promoted.status, promoted.text).toBe(200);
        const seen = await within(
          CROSSES_MS,
          () => agent.get<{ user: { role: string } }>('/api/me'),
          (response) => response.body.user.role === 'supervisor',
        );
        expect(seen.body.user.role, 'B still showed the role from before the change on A').toBe('supervisor');

        expect((await onA.delete(`/api/users/${user.id}`)).status).toBe(204);
        const gone = await within(
          CROSSES_MS,
          () => agent.get('/api/me'),
          (response) => response.status === 401,
        );
        expect(gone.status, 'B still took the session of a user deleted on A').toBe(401);
      } finally {
        await stream.close();
      }
    });

    it('counts wrong passwords on A and B together: the sixth is refused wherever it lands', async () => {
      const servers = [a, b];
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const client = new ApiClient(servers[i % 2]!.apiUrl);
        statuses.push((await client.signIn('agent1', 'not-the-password')).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      // The refusal holds on the other server too, even with the right password.
      const right = await new ApiClient(a.apiUrl).signIn('agent1', a.logins.agent1!.password);
      expect(right.status).toBe(429);
    });

    it('keeps answering and streaming on B while A is killed, and hears A again once it is back', async () => {
      await a.kill('SIGKILL');
      const onB = await admin(b);
      const stream = await openEventStream(onB);
      try {
        await stream.next((event) => event.event === 'ready');
        const group = await onB.post<{ id: number }>('/api/groups', {
          json: { name: `alone${Date.now() % 100_000}` },
        });
        expect(group.status, group.text).toBe(201);
        const own = await stream.next((event) => event.event === 'change' && event.data.includes('"group"'));
        expect(JSON.parse(own.data)).toEqual({ entity: 'group', id: group.body.id });

        await a.restart();
        const onA = await admin(a);
        const made = await onA.post<{ id: number }>('/api/groups', {
          json: { name: `back${Date.now() % 100_000}` },
        });
        expect(made.status, made.text).toBe(201);
        const heard = await stream.next(
          (event) => event.event === 'change' && event.data.includes(`"id":${made.body.id}`),
        );
        expect(JSON.parse(heard.data)).toEqual({ entity: 'group', id: made.body.id });
      } finally {
        await stream.close();
      }
    });
  },
);
