import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent } from '../../../contracts/events';
import type { AppEnv } from '../app-env';
import { requireSignedIn } from '../signed-in';

const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/events`: server-sent events `change` with `{entity, id}`. They carry no data, only
 * what changed, so every signed-in user may hear them; the app refetches what it may see.
 */
export const eventRoutes = new Hono<AppEnv>().get('/events', (c) => {
  requireSignedIn(c);
  const bus = c.var.deps.events;
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (sse) => {
    const queue: LiveEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = bus.subscribe((event) => {
      queue.push(event);
      if (queue.length > 1000) queue.splice(0, queue.length - 1000);
      wake?.();
    });
    sse.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    await sse.writeSSE({ event: 'ready', data: '{}', retry: 2000 });
    while (!sse.aborted && !sse.closed) {
      const event = queue.shift();
      if (event) {
        await sse.writeSSE({ event: 'change', data: JSON.stringify(event) });
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HEARTBEAT_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (queue.length === 0 && !sse.aborted) await sse.write(': heartbeat\n\n');
    }
    unsubscribe();
  });
});
