import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { relayStatusSchema, seatListSchema, seatSchema, sipCredentialsSchema } from '../../../contracts/sip';
import { requireRole } from '../../../contracts/policy/console-access';
import { loadCredentialSecret } from '../../sip/auth/credential-secret';
import { issueEphemeralCredentials } from '../../sip/auth/ephemeral-credentials';
import { conflict, forbidden, notFound } from '../http-error';
import { mutate } from '../mutation';
import { createRouter, errorResponses, json } from '../openapi';
import { authorize, requireSignedIn } from '../signed-in';

const seatParams = z.object({
  id: z.string().min(1, { error: 'id must not be empty' }).max(64, { error: 'id is too long' }),
});

const routes = {
  credentials: createRoute({
    method: 'get',
    path: '/sip/credentials',
    tags: ['sip'],
    summary: 'Short-lived SIP credentials for this web session’s phone (signed in, with a profile)',
    responses: { 200: json(sipCredentialsSchema, 'Credentials and phone settings.'), ...errorResponses },
  }),
  seats: createRoute({
    method: 'get',
    path: '/seats',
    tags: ['sip'],
    summary: 'Registered phones: who is signed in where (supervisor, admin)',
    responses: { 200: json(seatListSchema, 'Every registration.'), ...errorResponses },
  }),
  relay: createRoute({
    method: 'get',
    path: '/relay',
    tags: ['sip'],
    summary: 'The TURN relay the phones use: configured or not, answering or not (supervisor, admin)',
    responses: { 200: json(relayStatusSchema, 'The relay’s state.'), ...errorResponses },
  }),
  dropSeat: createRoute({
    method: 'delete',
    path: '/seats/{id}',
    tags: ['sip'],
    summary: 'Sign a seat out: drop that registration (supervisor, admin)',
    request: { params: seatParams },
    responses: { 204: { description: 'Dropped.' }, ...errorResponses },
  }),
};

export const sipRoutes = createRouter()
  .openapi(routes.credentials, async (c) => {
    const signedIn = requireSignedIn(c);
    const { config, db, relay } = c.var.deps;
    const { user } = signedIn;
    if (!signedIn.profile) throw forbidden('No SIP profile');
    const issued = issueEphemeralCredentials({
      secret: await loadCredentialSecret(db),
      user: user.username,
      generation: user.sipCredentialGeneration,
      ttlSeconds: config.sipCredentialTtlSeconds,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        username: issued.username,
        password: issued.password,
        expiresAt: new Date(issued.expiresAt * 1000).toISOString(),
        aor: `sip:${user.username}@${config.sipDomain}`,
        authorizationUser: user.username,
        realm: config.sipDomain,
        domain: config.sipDomain,
        wsPath: '/sip',
        // SIP_WS_URLS when set (Kamailio, several edges), else the built-in edge.
        wsUrls: config.sipWsUrls.length > 0 ? config.sipWsUrls : ['/sip'],
        extension: user.extension,
        displayName: user.displayName,
        // The relay's credentials end with the SIP ones: the phone renews both together.
        iceServers: relay.iceServers(user.username, issued.expiresAt, c.req.header('host') ?? config.host),
        iceTransportPolicy: config.iceTransportPolicy,
        iceGatheringTimeoutMs: config.sipIceGatheringTimeoutMs,
      },
      200,
    );
  })
  .openapi(routes.seats, async (c) => {
    authorize(c, (actor) => requireRole(actor, 'supervisor'));
    await c.var.deps.sip.settled?.();
    return c.json({ items: c.var.deps.sip.listSeats() }, 200);
  })
  .openapi(routes.relay, async (c) => {
    authorize(c, (actor) => requireRole(actor, 'supervisor'));
    const { config, relay } = c.var.deps;
    return c.json(await relay.status(c.req.header('host') ?? config.host), 200);
  })
  .openapi(routes.dropSeat, async (c) => {
    const actor = authorize(c, (a) => requireRole(a, 'supervisor'));
    const { id } = c.req.valid('param');
    const deps = c.var.deps;
    await deps.sip.settled?.();
    const seat = deps.sip.listSeats().find((s) => s.id === id);
    if (!seat) throw notFound(`Seat ${id}`);
    const refusal = deps.sip.dropRefusal?.(id);
    if (refusal) throw conflict(refusal);
    await mutate(deps, actor, async (_tx, audit) => {
      await audit({
        action: 'seat.sign_out',
        entity: 'user',
        entityId: seat.userId,
        before: seatSchema.parse(seat),
      });
      return { result: null, events: [] };
    });
    deps.sip.dropSeat(id);
    return c.body(null, 204);
  });
