import { createRoute } from '@hono/zod-openapi';
import { auditListQuerySchema, auditListSchema } from '../../../contracts/audit';
import { canReadAudit } from '../../../contracts/policy/console-access';
import { listAudit } from '../../store/audit-repository';
import { createRouter, errorResponses, json } from '../openapi';
import { authorize } from '../signed-in';

const list = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  summary: 'The audit log, newest first, filterable by actor, entity and action (supervisor, admin)',
  request: { query: auditListQuerySchema },
  responses: { 200: json(auditListSchema, 'A page of audit entries.'), ...errorResponses },
});

export const auditRoutes = createRouter().openapi(list, async (c) => {
  authorize(c, canReadAudit);
  const query = c.req.valid('query');
  const { items, total } = await listAudit(c.var.deps.db, query);
  return c.json({ items, total, offset: query.offset, limit: query.limit }, 200);
});
