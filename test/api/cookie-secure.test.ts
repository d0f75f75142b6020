import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

// What COOKIE_SECURE=1 (the server is reached over HTTPS, through a TLS proxy) changes.
let plain: TestServer;
let secure: TestServer;

beforeAll(async () => {
  [plain, secure] = await Promise.all([startTestServer(), startTestServer({ env: { COOKIE_SECURE: '1' } })]);
});
afterAll(() => Promise.all([plain?.close(), secure?.close()]));

describe('COOKIE_SECURE', () => {
  it('without it no Strict-Transport-Security is sent (it would be over plain HTTP)', async () => {
    for (const pathname of ['/api/health', '/']) {
      const response = await fetch(plain.url + pathname);
      expect(response.headers.get('strict-transport-security'), pathname).toBeNull();
    }
  });

  it('with it every answer carries Strict-Transport-Security', async () => {
    for (const pathname of ['/api/health', '/']) {
      const response = await fetch(secure.url + pathname);
      expect(response.headers.get('strict-transport-security'), pathname).toMatch(/^max-age=\d+/);
    }
  });

  it('with it the https origin of the same host is the app’s own origin; without it, it is not', async () => {
    const https = (server: TestServer) => `https://${new URL(server.url).host}`;
    const create = async (server: TestServer) =>
      (await server.signIn('admin')).post('/api/groups', {
        json: { name: uniqueName('tls') },
        headers: { origin: https(server) },
      });
    expect((await create(secure)).status).toBe(201);
    expect((await create(plain)).status).toBe(403);
  });
});
