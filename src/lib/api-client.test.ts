import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { server } from '../testing/msw-server';
import { ApiRequestError, apiClient, parseRetryAfter } from './api-client';

async function failure(promise: Promise<unknown>): Promise<ApiRequestError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiRequestError))
    throw new Error(`Expected an ApiRequestError, got ${String(error)}`);
  return error;
}

describe('apiClient', () => {
  it('sends JSON with the session cookie and parses the answer with the schema', async () => {
    let seen: { credentials: RequestCredentials; contentType: string | null; body: unknown } | undefined;
    server.use(
      http.post('/api/things', async ({ request }) => {
        seen = {
          credentials: request.credentials,
          contentType: request.headers.get('Content-Type'),
          body: await request.json(),
        };
        return HttpResponse.json({ id: 7, name: 'seven', extra: true });
      }),
    );
    const thing = await apiClient.post('/api/things', {
      body: { name: 'seven' },
      schema: z.object({ id: z.number(), name: z.string() }),
    });
    expect(thing).toEqual({ id: 7, name: 'seven' });
    expect(seen).toEqual({
      credentials: 'same-origin',
      contentType: 'application/json',
      body: { name: 'seven' },
    });
  });

  it('returns nothing for 204', async () => {
    server.use(http.delete('/api/things/1', () => new HttpResponse(null, { status: 204 })));
    await expect(apiClient.delete('/api/things/1')).resolves.toBeUndefined();
  });

  it('carries the server’s error shape: status, code, message and fields', async () => {
    server.use(
      http.post('/api/things', () =>
        HttpResponse.json(
          {
            error: {
              code: 'validation_failed',
              message: 'Invalid.',
              fields: { name: 'name must not be empty' },
            },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await failure(apiClient.post('/api/things', { body: {} }));
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Invalid.',
      fields: { name: 'name must not be empty' },
      retryAfter: undefined,
    });
  });

  it('reads Retry-After on 429', async () => {
    server.use(
      http.post('/api/session', () =>
        HttpResponse.json(
          { error: { code: 'rate_limited', message: 'Too many failed sign-ins.' } },
          { status: 429, headers: { 'Retry-After': '30' } },
        ),
      ),
    );
    const error = await failure(apiClient.post('/api/session', { body: {} }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(30);
  });

  it('describes an answer that is not the error shape by its status', async () => {
    server.use(http.get('/api/things', () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    const error = await failure(apiClient.get('/api/things'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^The server answered 502/);
  });

  it('reports an unreachable server as a network error', async () => {
    server.use(http.get('/api/things', () => HttpResponse.error()));
    const error = await failure(apiClient.get('/api/things'));
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('refuses a success that does not match the contract', async () => {
    server.use(http.get('/api/things', () => HttpResponse.json({ id: 'seven' })));
    const error = await failure(apiClient.get('/api/things', { schema: z.object({ id: z.number() }) }));
    expect(error.code).toBe('invalid_response');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
