import { describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeUser, uniqueName } from './support/fixtures';
import { serverPerFile, type TestServer } from './support/server-per-file';

let server: TestServer;
let admin: ApiClient;

serverPerFile((started, signedIn) => void ([server, admin] = [started, signedIn]));

const FOREIGN = 'http://intranet.example:8080';

describe('mutations from another origin', () => {
  it('a password reset posted from a foreign Origin is refused with 403 and a sentence', async () => {
    const user = await makeUser(server.db);
    // What a form on another page of the same site sends: the admin's cookie, no body.
    const response = await admin.post(`/api/users/${user.id}/password`, {
      headers: { origin: FOREIGN, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const error = expectApiError(response, 403, 'forbidden');
    expect(error.message).toContain(FOREIGN);
    expect(response.text).not.toMatch(/password"\s*:/);
  });

  it('the same request from the app’s own origin goes through', async () => {
    const user = await makeUser(server.db);
    const response = await admin.post(`/api/users/${user.id}/password`, { headers: { origin: server.url } });
    expect(response.status, response.text).toBe(200);
  });

  it('a foreign Origin is refused on every mutating method, and on sign-in', async () => {
    const group = await admin.post<{ id: number }>('/api/groups', {
      json: { name: uniqueName('origin') },
      headers: { origin: server.url },
    });
    expect(group.status, group.text).toBe(201);
    const headers = { origin: FOREIGN };
    expectApiError(await admin.post('/api/groups', { json: { name: uniqueName('x') }, headers }), 403);
    expectApiError(await admin.patch(`/api/groups/${group.body.id}`, { json: { name: 'y' }, headers }), 403);
    const member = await makeUser(server.db);
    expectApiError(await admin.put(`/api/groups/${group.body.id}/members/${member.id}`, { headers }), 403);
    expectApiError(await admin.delete(`/api/groups/${group.body.id}`, { headers }), 403);
    expectApiError(await admin.delete('/api/session', { headers }), 403);
    const signIn = await server.client().post('/api/session', {
      json: { username: 'admin', password: server.logins.admin!.password },
      headers,
    });
    expectApiError(signIn, 403, 'forbidden');
    expect(signIn.headers.getSetCookie()).toEqual([]);
    // Still there, still signed in.
    expect((await admin.get(`/api/groups/${group.body.id}`)).status).toBe(200);
  });

  it('refuses an opaque Origin ("null") and a different port or scheme of the same host', async () => {
    const own = new URL(server.url);
    const others = [
      'null',
      `https://${own.host}`,
      `http://${own.hostname}:1`,
      `http://localhost:${own.port}`,
    ];
    for (const origin of others) {
      const response = await admin.post('/api/groups', {
        json: { name: uniqueName('o') },
        headers: { origin },
      });
      expectApiError(response, 403, 'forbidden');
    }
  });

  it('without Origin, refuses Sec-Fetch-Site cross-site and same-site; allows same-origin and none', async () => {
    for (const site of ['cross-site', 'same-site', 'bogus']) {
      const response = await admin.post('/api/groups', {
        json: { name: uniqueName('s') },
        headers: { 'sec-fetch-site': site },
      });
      const error = expectApiError(response, 403, 'forbidden');
      expect(error.message).toContain(site);
    }
    for (const site of ['same-origin', 'none']) {
      const response = await admin.post('/api/groups', {
        json: { name: uniqueName('s') },
        headers: { 'sec-fetch-site': site },
      });
      expect(response.status, `${site}: ${response.text}`).toBe(201);
    }
  });

  it('allows a mutation with neither header (the CLI, curl, scripts)', async () => {
    const response = await admin.post('/api/groups', { json: { name: uniqueName('plain') } });
    expect(response.status, response.text).toBe(201);
  });

  it('does not check reads: a foreign Origin may GET (the answer is not readable cross-origin anyway)', async () => {
    const response = await admin.get('/api/me', {
      headers: { origin: FOREIGN, 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(200);
  });
});
