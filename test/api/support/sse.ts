import type { ApiClient } from './api-client';

export type SseEvent = { event: string; data: string };

/** An open `/api/events` stream that collects events; `next()` waits for the next matching one. */
export async function openEventStream(client: ApiClient) {
  const abort = new AbortController();
  const response = await client.stream('/api/events', abort.signal);
  if (response.status !== 200 || !response.body) throw new Error(`/api/events answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  let waiter: (() => void) | undefined;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length) events.push({ event, data: data.join('\n') });
          waiter?.();
        }
      }
    } catch {
      // Aborted.
    }
  })();

  let read = 0;
  return {
    response,
    /** The next event (after those already returned) that matches, within `timeoutMs`. */
    async next(match: (event: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (read < events.length) {
          const event = events[read++];
          if (event && match(event)) return event;
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching event within ${timeoutMs} ms; saw ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiter = undefined;
      }
    },
    async close() {
      abort.abort();
      await pump;
    },
  };
}
