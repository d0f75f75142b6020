import { describe, expect, it } from 'vitest';
import { liveEventSchema } from '../../contracts/events';
import type { ApiClient } from './support/api-client';
import { makeUser, uniqueName } from './support/fixtures';
import { openEventStream, type SseEvent } from './support/sse';
import { serverPerFile, type TestServer } from './support/server-per-file';

let server: TestServer;
let admin: ApiClient;

serverPerFile((started, signedIn) => void ([server, admin] = [started, signedIn]));

const change = (entity: string) => (event: SseEvent) =>
  event.event === 'change' && liveEventSchema.parse(JSON.parse(event.data)).entity === entity;

describe('/api/events', () => {
  it('a mutation produces a `change` event {entity, id} on an open stream', async () => {
    const stream = await openEventStream(await server.signIn('agent1'));
    try {
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await stream.next((e) => e.event === 'ready');
      const created = await admin.post<{ id: number }>('/api/groups', { json: { name: uniqueName('live') } });
      expect(created.status).toBe(201);
      const event = await stream.next(change('group'));
      expect(JSON.parse(event.data)).toEqual({ entity: 'group', id: created.body.id });
      await stream.next(change('audit'));
    } finally {
      await stream.close();
    }
  });

  it('a refused mutation produces no event', async () => {
    const stream = await openEventStream(await server.signIn('supervisor'));
    try {
      await stream.next((e) => e.event === 'ready');
      expect((await admin.post('/api/groups', { json: { name: 'floor_1' } })).status).toBe(409);
      const user = await makeUser(server.db);
      expect((await admin.patch(`/api/users/${user.id}`, { json: { location: 'Desk 9' } })).status).toBe(200);
      // The first change after the refused one is the user update: nothing came in between.
      const first = await stream.next((e) => e.event === 'change');
      expect(JSON.parse(first.data)).toEqual({ entity: 'user', id: user.id });
    } finally {
      await stream.close();
    }
  });

  it('a closed stream stops listening', async () => {
    const stream = await openEventStream(await server.signIn('agent2'));
    await stream.next((e) => e.event === 'ready');
    const listening = server.events.size;
    await stream.close();
    await expect.poll(() => server.events.size, { timeout: 5000 }).toBeLessThan(listening);
  });
});
