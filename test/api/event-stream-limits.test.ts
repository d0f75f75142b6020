import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { openEventStream } from './support/sse';
import { startTestServer, type TestServer } from './support/test-server';

const PER_SESSION = 8;
const PER_ADDRESS = 12;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { EVENTS_STREAMS_PER_ADDRESS: String(PER_ADDRESS) } });
});
afterAll(() => server?.close());

type Stream = Awaited<ReturnType<typeof openEventStream>>;

async function openMany(client: ApiClient, count: number): Promise<Stream[]> {
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) {
    const stream = await openEventStream(client);
    await stream.next((e) => e.event === 'ready');
    streams.push(stream);
  }
  return streams;
}

/** One more `/api/events` request, read to the end as an ordinary answer. */
async function oneMore(client: ApiClient) {
  const abort = new AbortController();
  const response = await client.stream('/api/events', abort.signal);
  if (response.status === 200) {
    abort.abort();
    return { status: 200, text: '', body: undefined, headers: response.headers };
  }
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as unknown, headers: response.headers };
}

describe('/api/events stream limits', () => {
  it(`one session gets at most ${PER_SESSION} open streams; the next is 429 with a sentence`, async () => {
    const client = await server.signIn('agent1');
    const streams = await openMany(client, PER_SESSION);
    try {
      const refused = await oneMore(client);
      const error = expectApiError(refused, 429, 'rate_limited');
      expect(error.message).toContain(String(PER_SESSION));
      // Another session of another user is not affected.
      const other = await openEventStream(await server.signIn('agent2'));
      await other.next((e) => e.event === 'ready');
      await other.close();
      // Closing one frees its place.
      await streams.pop()!.close();
      await expect.poll(async () => (await oneMore(client)).status, { timeout: 5000 }).toBe(200);
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it(`one address gets at most ${PER_ADDRESS} open streams, over all its sessions`, async () => {
    const first = await server.signIn('agent3');
    const second = await server.signIn('operator');
    const streams = [
      ...(await openMany(first, PER_SESSION)),
      ...(await openMany(second, PER_ADDRESS - PER_SESSION)),
    ];
    try {
      const third = await server.signIn('supervisor');
      const error = expectApiError(await oneMore(third), 429, 'rate_limited');
      expect(error.message).toMatch(/address/);
      await streams.pop()!.close();
      await expect.poll(async () => (await oneMore(third)).status, { timeout: 5000 }).toBe(200);
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });
});
