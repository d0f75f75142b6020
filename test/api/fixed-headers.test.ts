import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { seedIfEmpty, type Login } from '../../server/store/demo-seed';
import { openFreshDatabase, type FreshDatabase } from './support/fresh-database';

// Served by Node, the security headers and the API's Cache-Control go straight onto Node's
// response (server/http/fixed-headers.ts); through `app.request()` Hono's middleware adds them
// as before. Both ways must give every answer the same headers.
type Served = { app: ReturnType<typeof createApp>['app']; url: string; close(): Promise<void> };

let database: FreshDatabase;
let admin: Login;
const served: Served[] = [];

async function serveApp(env: Record<string, string> = {}): Promise<Served> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const { app } = createApp({ config, db: database.db, log: createLogger('silent') });
  const server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening as Server),
    ) as Server;
  });
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const entry = { app, url: `http://127.0.0.1:${port}`, close };
  served.push(entry);
  return entry;
}

beforeAll(async () => {
  database = await openFreshDatabase();
  const logins = await seedIfEmpty(database.db, { demo: true, sipRealm: 'headers.test' });
  const found = logins.find((login) => login.username === 'admin');
  if (!found) throw new Error('The demo seed made no admin.');
  admin = found;
});
afterAll(async () => {
  await Promise.all(served.map((s) => s.close()));
  await database?.close();
});

/** What Node adds on the wire by itself (framing), which `app.request()` has no part in. */
const FRAMING = new Set(['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding']);

function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !FRAMING.has(name)));
}

async function compare(server: Served, pathname: string, init: RequestInit = {}) {
  const overNode = await fetch(server.url + pathname, init);
  const throughHono = await server.app.request(pathname, init);
  expect(overNode.status, pathname).toBe(throughHono.status);
  expect(headersOf(overNode), pathname).toEqual(headersOf(throughHono));
  expect(await overNode.text(), pathname).toBe(await throughHono.text());
  return overNode;
}

describe('headers on every answer', () => {
  it('are the same served by Node and through Hono: API, errors, sign-in, the web app', async () => {
    const server = await serveApp();
    const health = await compare(server, '/api/health');
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect(health.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(health.headers.get('permissions-policy')).toBe('microphone=(self), camera=()');
    expect(health.headers.get('strict-transport-security')).toBeNull();
    expect((await compare(server, '/api/me')).status).toBe(401);
    expect((await compare(server, '/api/no-such-route')).status).toBe(401);
    const page = await compare(server, '/');
    expect(page.headers.get('cache-control')).not.toBe('no-store');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await compare(server, '/assets/missing.js.map')).status).toBe(404);

    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: admin.password }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toMatch(/^sb_session=.+; HttpOnly; SameSite=Strict/);
    expect(signIn.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await compare(server, '/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toBe('application/json');
    expect((await compare(server, '/api/no-such-route', { headers: { cookie } })).status).toBe(404);
  });

  it('carry Strict-Transport-Security both ways when the cookie is Secure', async () => {
    const server = await serveApp({ COOKIE_SECURE: '1' });
    for (const pathname of ['/api/health', '/']) {
      const response = await compare(server, pathname);
      expect(response.headers.get('strict-transport-security'), pathname).toMatch(/^max-age=\d+/);
    }
  });
});
