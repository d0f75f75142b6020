import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { forbidden } from './http-error';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Sec-Fetch-Site values of a request the user made on this app's own pages (or typed in). */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Refuses a mutation a browser sent from another origin (cross-site request forgery: a form or
 * script elsewhere on the same site rides the session cookie, which SameSite does not stop).
 * The app's own origin is the request's Host with this server's scheme, or https when the
 * cookie is marked Secure (the server then sits behind a TLS proxy that keeps the Host). A
 * request with neither Origin nor Sec-Fetch-Site is not from a browser page (the CLI, curl,
 * scripts) and is let through; the session cookie is what it needs.
 */
export const sameOriginMutations = createMiddleware<AppEnv>(async (c, next) => {
  if (!MUTATING.has(c.req.method)) return next();
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (!ownOrigins(c.req.url, c.req.header('host'), c.var.deps.config.cookieSecure).includes(origin))
      throw forbidden(
        `This request came from another site (Origin ${origin}); changes are accepted only from Switchboard's own pages.`,
      );
    return next();
  }
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && !OWN_FETCH_SITES.has(site))
    throw forbidden(
      `This request came from another site (Sec-Fetch-Site: ${site}); changes are accepted only from Switchboard's own pages.`,
    );
  return next();
});

function ownOrigins(url: string, host: string | undefined, secure: boolean): string[] {
  const target = new URL(url);
  const schemes = secure ? new Set([target.protocol, 'https:']) : new Set([target.protocol]);
  const origins: string[] = [];
  for (const scheme of schemes) {
    try {
      // Serialized as a browser serializes Origin: lower-case host, no default port.
      origins.push(new URL(`${scheme}//${host ?? target.host}`).origin);
    } catch {
      // A Host that is not a host matches no Origin.
    }
  }
  return origins;
}
