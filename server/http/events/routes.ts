import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { LiveEvent } from '../../../contracts/events';
import type { AppEnv } from '../app-env';
import { clientAddress } from '../client-address';
import { requireSignedIn } from '../signed-in';

const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/events`: server-sent events `change` with `{entity, id}`. They carry no data, only
 * what changed, so every signed-in user may hear them; the app refetches what it may see.
 */
export const eventRoutes = new Hono<AppEnv>().get('/events', (c) => {
  const signedIn = requireSignedIn(c);
  const { events: bus, eventStreams } = c.var.deps;
  const release = eventStreams.acquire(
    { tokenHash: signedIn.tokenHash, username: signedIn.user.username },
    clientAddress(c),
  );
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (sse) => {
    try {
      await sendEvents(sse);
    } finally {
      release();
    }
  });

  async function sendEvents(sse: SSEStreamingApi) {
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
      if (queue.length > 0) {
        // What one turn of the server changed goes out as one write once that turn is over,
        // each change once (the page refetches what changed, however often it did): a burst of
        // 100 queue callers, several changes each, is not hundreds of writes to every page.
        await new Promise((resolve) => setImmediate(resolve));
        const changes = new Set(queue.splice(0).map((event) => JSON.stringify(event)));
        await sse.write([...changes].map((data) => `event: change\ndata: ${data}\n\n`).join(''));
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
  }
});
