import { createRoute } from '@hono/zod-openapi';
import {
  queueCreateSchema,
  queueListSchema,
  queueSchema,
  queueUpdateSchema,
  wallboardSchema,
} from '../../../contracts/queues';
import { canManageQueues, canReadWallboard } from '../../../contracts/policy/console-access';
import type { DbOrTx } from '../../store/database';
import {
  deleteQueue,
  findQueue,
  insertQueue,
  listQueues,
  queuesOverflowingTo,
  updateQueue,
  type QueueRow,
} from '../../store/queues-repository';
import { conflict, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';
import { auditView, presentQueue } from './present-queue';
import { checkQueueReferences, checkQueueUnique } from './queue-checks';
import { buildWallboard } from './wallboard';

const routes = {
  wallboard: createRoute({
    method: 'get',
    path: '/queues/wallboard',
    tags: ['queues'],
    summary:
      'Per queue now: callers waiting and the longest wait, answered and abandoned today, service level, average handle time, agents by state (operator and up)',
    responses: { 200: json(wallboardSchema, 'The figures now.'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/queues',
    tags: ['queues'],
    summary: 'Queues with their members (supervisor, admin)',
    responses: { 200: json(queueListSchema, 'All queues.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/queues',
    tags: ['queues'],
    summary: "Create a queue; its extension must be nobody's phone (supervisor, admin)",
    request: jsonBody(queueCreateSchema),
    responses: { 201: json(queueSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/queues/{id}',
    tags: ['queues'],
    summary: 'One queue (supervisor, admin)',
    request: { params: idParams },
    responses: { 200: json(queueSchema, 'The queue.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/queues/{id}',
    tags: ['queues'],
    summary: 'Change a queue; `members`, when given, replaces the list (supervisor, admin)',
    request: { params: idParams, ...jsonBody(queueUpdateSchema) },
    responses: { 200: json(queueSchema, 'Changed.'), ...errorResponses, ...conflictResponse },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/queues/{id}',
    tags: ['queues'],
    summary: 'Delete a queue; its call history stays under its name (supervisor, admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses, ...conflictResponse },
  }),
};

async function mustFind(db: DbOrTx, id: number): Promise<QueueRow> {
  const queue = await findQueue(db, id);
  if (!queue) throw notFound(`Queue ${id}`);
  return queue;
}

export const queueRoutes = createRouter()
  .openapi(routes.wallboard, async (c) => {
    authorize(c, canReadWallboard);
    return c.json(await buildWallboard(c.var.deps), 200);
  })
  .openapi(routes.list, async (c) => {
    authorize(c, canManageQueues);
    return c.json({ items: (await listQueues(c.var.deps.db)).map(presentQueue) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageQueues);
    const input = c.req.valid('json');
    const queue = await mutate(c.var.deps, actor, async (tx, audit) => {
      await checkQueueReferences(tx, input);
      await checkQueueUnique(tx, input);
      const id = await insertQueue(tx, input);
      const created = await mustFind(tx, id);
      await audit({ action: 'queue.create', entity: 'queue', entityId: id, after: auditView(created) });
      return { result: created, events: [{ entity: 'queue', id }] };
    });
    return c.json(presentQueue(queue), 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canManageQueues);
    return c.json(presentQueue(await mustFind(c.var.deps.db, c.req.valid('param').id)), 200);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageQueues);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const queue = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkQueueReferences(tx, change, id);
      await checkQueueUnique(tx, change, id);
      await updateQueue(tx, id, change);
      const after = await mustFind(tx, id);
      await audit({
        action: 'queue.update',
        entity: 'queue',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return { result: after, events: [{ entity: 'queue', id }] };
    });
    return c.json(presentQueue(queue), 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageQueues);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      const feeding = await queuesOverflowingTo(tx, id);
      if (feeding.length)
        throw conflict(
          `Calls overflow from ${feeding.join(', ')} to ${before.name}; send them elsewhere before deleting it.`,
        );
      await deleteQueue(tx, id);
      await audit({ action: 'queue.delete', entity: 'queue', entityId: id, before: auditView(before) });
      return { result: null, events: [{ entity: 'queue', id }] };
    });
    return c.body(null, 204);
  });
