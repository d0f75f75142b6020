import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';

// A stand-in build: the server serves whatever WEB_DIST holds, so these tests need no vite build.
const INDEX = '<!doctype html><title>Switchboard</title><div id="root"></div>';
let server: TestServer;
let webDist: string;

beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), 'switchboard-web-dist-'));
  await mkdir(path.join(webDist, 'assets'));
  await writeFile(path.join(webDist, 'index.html'), INDEX);
  await writeFile(path.join(webDist, 'assets', 'index-NEW123.js'), 'console.log("app");');
  await writeFile(
    path.join(webDist, 'assets', 'index-NEW123.js.map'),
    '{"version":3,"sources":["secret.ts"]}',
  );
  await writeFile(path.join(webDist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  server = await startTestServer({ env: { WEB_DIST: webDist } });
});
afterAll(async () => {
  await server?.close();
  if (webDist) await rm(webDist, { recursive: true, force: true });
});

const get = (pathname: string) => fetch(server.url + pathname);

describe('the web app', () => {
  it('serves a hashed asset that exists, cached for a year', async () => {
    const response = await get('/assets/index-NEW123.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('console.log');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404, not index.html cached immutable, for an asset of an older build', async () => {
    const response = await get('/assets/index-OLD999.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(response.headers.get('cache-control') ?? '').not.toContain('immutable');
    expect(response.headers.get('cache-control') ?? '').toContain('no-store');
    expect(await response.text()).not.toContain('<div id="root">');
  });

  it('answers 404 for any missing path that looks like a file', async () => {
    for (const pathname of ['/logo.png', '/nested/chunk.css', '/assets/', '/assets/deep/missing']) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      expect(await response.text(), pathname).not.toContain('<div id="root">');
    }
  });

  it('never serves source maps, even when the build has them', async () => {
    const response = await get('/assets/index-NEW123.js.map');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret.ts');
  });

  it('still answers index.html for the app itself and any other page path', async () => {
    for (const pathname of ['/', '/console', '/some/page']) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('content-type'), pathname).toContain('text/html');
      expect(response.headers.get('cache-control'), pathname).toBe('no-cache');
      expect(await response.text(), pathname).toBe(INDEX);
    }
    expect((await get('/favicon.svg')).status).toBe(200);
  });
});
