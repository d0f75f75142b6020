import { createRoute } from '@hono/zod-openapi';
import { monitorBoardSchema } from '../../../contracts/monitor';
import { requireRole } from '../../../contracts/policy/console-access';
import { findGroupByName } from '../../store/groups-repository';
import { createRouter, errorResponses, json } from '../openapi';
import { authorize, requireSignedIn } from '../signed-in';
import { buildBoard } from './board';

const routes = {
  board: createRoute({
    method: 'get',
    path: '/monitor/board',
    tags: ['monitor'],
    summary:
      "The operator's barge group live: members, their calls, and which monitor modes are allowed on each (operator and up)",
    responses: { 200: json(monitorBoardSchema, 'The barge group now.'), ...errorResponses },
  }),
};

export const monitorRoutes = createRouter().openapi(routes.board, async (c) => {
  authorize(c, (actor) => requireRole(actor, 'operator'));
  const { user, profile } = requireSignedIn(c);
  const { db, sip } = c.var.deps;
  const group = profile?.bargeGroup ? ((await findGroupByName(db, profile.bargeGroup)) ?? null) : null;
  // A page refreshes on a `call` or `registration` event: answer with what the event announced.
  await sip.settled?.();
  c.header('Cache-Control', 'no-store');
  return c.json(
    buildBoard({
      operator: {
        userId: user.id,
        role: user.role,
        signedIn: true,
        profile: profile
          ? { name: profile.name, flags: profile.flags, bargeGroup: profile.bargeGroup }
          : null,
      },
      group,
      sip,
    }),
    200,
  );
});
