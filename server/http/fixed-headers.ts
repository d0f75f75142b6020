import type { ServerResponse } from 'node:http';
import { Hono, type MiddlewareHandler } from 'hono';

export type FixedHeaders = readonly (readonly [name: string, value: string])[];

/** The headers a Hono middleware adds to a bare answer, in the form Hono sends them (lower case). */
export async function headersAddedBy(middleware: MiddlewareHandler): Promise<FixedHeaders> {
  const probe = new Hono().use(middleware).get('/', (c) => c.body(null));
  return [...(await probe.request('/')).headers];
}

/**
 * Adds headers that are the same on every answer (security headers, Cache-Control) straight to
 * Node's response before the handler runs, one `setHeader` each, instead of to the Fetch
 * Response afterwards: each `Headers.set` there, and listing them again for Node, cost more
 * than the handler of GET /api/me (measured in bench:api). A header the handler sets itself
 * wins, as Node's `writeHead` is told it last. Off Node (`app.request()`), `fallback` adds them.
 */
export function fixedHeaders(
  headers: FixedHeaders | Promise<FixedHeaders>,
  fallback: MiddlewareHandler,
): MiddlewareHandler {
  let known = Array.isArray(headers) ? (headers as FixedHeaders) : undefined;
  const ready = Promise.resolve(headers).then((list) => (known = list));
  return async (c, next) => {
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (!outgoing?.setHeader) return fallback(c, next);
    for (const [name, value] of known ?? (await ready)) outgoing.setHeader(name, value);
    await next();
  };
}
