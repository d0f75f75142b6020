import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './app-env';

/** A path whose last segment has an extension names a file, never one of the app's pages. */
const FILE_LIKE = /\.[A-Za-z0-9]+$/;

/**
 * The built web app: hashed assets cached for a year, index.html revalidated on every load, and
 * every other GET that is not a file answered with index.html so the app's pages survive a
 * reload. A missing file is a plain 404 (a stale chunk URL must fail, not become the page), and
 * source maps are never served.
 */
export function webAppRoutes(webDist: string) {
  const root = path.resolve(webDist);
  const indexFile = path.join(root, 'index.html');
  const app = new Hono<AppEnv>();
  const noSuchFile = (c: Context<AppEnv>) =>
    c.text('There is no such file.', 404, { 'Cache-Control': 'no-store' });
  app.use('*', async (c, next) => {
    if (c.req.path.endsWith('.map')) return noSuchFile(c);
    await next();
  });
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // Without a build (API tests, `npm run dev`) there is nothing to serve but the sentence below.
  if (existsSync(root))
    app.use(
      '*',
      serveStatic({
        root: path.relative(process.cwd(), root) || '.',
        onFound: (file, c) => {
          if (path.resolve(file) === indexFile) c.header('Cache-Control', 'no-cache');
        },
      }),
    );
  app.get('*', (c) => {
    if (c.req.path.startsWith('/assets/') || FILE_LIKE.test(c.req.path)) return noSuchFile(c);
    if (!existsSync(indexFile))
      return c.text('The web app is not built yet. Run "npm run build", or start with "npm start".', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
