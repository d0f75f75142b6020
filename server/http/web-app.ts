import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './app-env';

/**
 * The built web app: hashed assets cached for a year, every other GET answered with
 * index.html so the app's own routes survive a reload.
 */
export function webAppRoutes(webDist: string) {
  const root = path.resolve(webDist);
  const indexFile = path.join(root, 'index.html');
  const app = new Hono<AppEnv>();
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // Without a build (API tests, `npm run dev`) there is nothing to serve but the sentence below.
  if (existsSync(root)) app.use('*', serveStatic({ root: path.relative(process.cwd(), root) || '.' }));
  app.get('*', (c) => {
    if (!existsSync(indexFile))
      return c.text('The web app is not built yet. Run "npm run build", or start with "npm start".', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
