import { timingSafeEqual, createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodType } from 'zod';
import {
  KAMAILIO_SECRET_HEADER,
  kamailioDialogEventSchema,
  kamailioKeepaliveSchema,
  kamailioPolicyRequestSchema,
  kamailioRegistrationEventSchema,
} from '../../../contracts/kamailio';
import type { KamailioCalls } from '../../kamailio/kamailio-calls';
import { decideKamailioRequest } from '../../kamailio/kamailio-policy';
import type { AppEnv } from '../app-env';
import { HttpError, validationError } from '../http-error';

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Kamailio's shared secret, checked in constant time. Fails closed: no secret configured, none
 * sent or a wrong one is refused before anything else is read.
 */
function requireKamailio(c: Context<AppEnv>): void {
  const expected = c.var.deps.config.kamailioSecret;
  if (expected === null)
    throw new HttpError(
      403,
      'forbidden',
      'Kamailio endpoints are off on this server; set KAMAILIO_SHARED_SECRET to turn them on.',
    );
  const sent = c.req.header(KAMAILIO_SECRET_HEADER);
  if (!sent)
    throw new HttpError(401, 'unauthenticated', `Send the shared secret in ${KAMAILIO_SECRET_HEADER}.`);
  if (!timingSafeEqual(digest(sent), digest(expected)))
    throw new HttpError(403, 'forbidden', `The ${KAMAILIO_SECRET_HEADER} secret is wrong.`);
}

async function bodyOf<T>(c: Context<AppEnv>, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * `/internal/kamailio/*`: what Kamailio asks before routing (policy) and tells after (dialog
 * events, registrations), and that it is alive (keepalive). Not part of the public API: no
 * session, the shared secret instead.
 */
export function kamailioRoutes(calls: KamailioCalls) {
  return new Hono<AppEnv>()
    .use('*', bodyLimit({ maxSize: 16 * 1024 }))
    .use('*', async (c, next) => {
      requireKamailio(c);
      c.header('Cache-Control', 'no-store');
      await next();
    })
    .post('/policy', async (c) => {
      const request = await bodyOf(c, kamailioPolicyRequestSchema);
      const { db, directory, sessions, config } = c.var.deps;
      const answer = await decideKamailioRequest(
        { db, accounts: directory, sessions, calls, defaultCountryCode: config.defaultCountryCode },
        request,
      );
      return c.json(answer, 200);
    })
    .post('/dialog', async (c) => {
      await calls.apply(await bodyOf(c, kamailioDialogEventSchema));
      return c.json({ ok: true }, 200);
    })
    .post('/registration', async (c) => {
      await calls.registration(await bodyOf(c, kamailioRegistrationEventSchema));
      return c.json({ ok: true }, 200);
    })
    .post('/keepalive', async (c) => {
      await calls.keepalive(await bodyOf(c, kamailioKeepaliveSchema));
      return c.json({ ok: true }, 200);
    });
}
