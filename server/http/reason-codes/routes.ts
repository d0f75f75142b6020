import { createRoute } from '@hono/zod-openapi';
import {
  reasonCodeCreateSchema,
  reasonCodeListSchema,
  reasonCodeSchema,
  reasonCodeUpdateSchema,
} from '../../../contracts/agent-states';
import { canManageReasonCodes, canReadReasonCodes } from '../../../contracts/policy/console-access';
import type { DbOrTx } from '../../store/database';
import {
  deleteReasonCode,
  findReasonCode,
  findReasonCodeByCode,
  insertReasonCode,
  listReasonCodes,
  updateReasonCode,
  type ReasonCodeRow,
} from '../../store/reason-codes-repository';
import { conflict, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/reason-codes',
    tags: ['agent states'],
    summary: 'Reasons for Not ready (everyone: agents pick one)',
    responses: { 200: json(reasonCodeListSchema, 'All reason codes.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/reason-codes',
    tags: ['agent states'],
    summary:
      'Add a reason code; the code `signed_in` names the reason a phone signs in with (supervisor, admin)',
    request: jsonBody(reasonCodeCreateSchema),
    responses: { 201: json(reasonCodeSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  update: createRoute({
    method: 'patch',
    path: '/reason-codes/{id}',
    tags: ['agent states'],
    summary: 'Change a reason code (supervisor, admin)',
    request: { params: idParams, ...jsonBody(reasonCodeUpdateSchema) },
    responses: { 200: json(reasonCodeSchema, 'Changed.'), ...errorResponses, ...conflictResponse },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/reason-codes/{id}',
    tags: ['agent states'],
    summary: 'Delete a reason code; agents already Not ready with it stay so (supervisor, admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
};

const present = ({ id, code, label }: ReasonCodeRow) => ({ id, code, label });

async function mustFind(db: DbOrTx, id: number): Promise<ReasonCodeRow> {
  const row = await findReasonCode(db, id);
  if (!row) throw notFound(`Reason code ${id}`);
  return row;
}

async function checkCode(db: DbOrTx, code: string | undefined, ownId?: number): Promise<void> {
  if (code === undefined) return;
  const taken = await findReasonCodeByCode(db, code);
  if (taken && taken.id !== ownId) throw conflict(`The reason code ${code} already exists.`, 'code');
}

export const reasonCodeRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canReadReasonCodes);
    return c.json({ items: (await listReasonCodes(c.var.deps.db)).map(present) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageReasonCodes);
    const input = c.req.valid('json');
    const row = await mutate(c.var.deps, actor, async (tx, audit) => {
      await checkCode(tx, input.code);
      const id = await insertReasonCode(tx, input);
      await audit({ action: 'reason_code.create', entity: 'reason_code', entityId: id, after: input });
      return { result: await mustFind(tx, id), events: [{ entity: 'reason_code', id }] };
    });
    return c.json(present(row), 201);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageReasonCodes);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const row = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkCode(tx, change.code, id);
      await updateReasonCode(tx, id, change);
      const after = await mustFind(tx, id);
      await audit({
        action: 'reason_code.update',
        entity: 'reason_code',
        entityId: id,
        before: { code: before.code, label: before.label },
        after: { code: after.code, label: after.label },
      });
      return { result: after, events: [{ entity: 'reason_code', id }] };
    });
    return c.json(present(row), 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageReasonCodes);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteReasonCode(tx, id);
      await audit({
        action: 'reason_code.delete',
        entity: 'reason_code',
        entityId: id,
        before: { code: before.code, label: before.label },
      });
      return { result: null, events: [{ entity: 'reason_code', id }] };
    });
    return c.body(null, 204);
  });
