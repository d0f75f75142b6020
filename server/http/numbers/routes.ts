import { createRoute } from '@hono/zod-openapi';
import {
  numberCreateSchema,
  numberUpdateSchema,
  phoneNumberListSchema,
  phoneNumberSchema,
  type NumberAssignment,
  type PhoneNumber,
} from '../../../contracts/numbers';
import { canManageNumbers } from '../../../contracts/policy/console-access';
import type { DbOrTx } from '../../store/database';
import { findGroup } from '../../store/groups-repository';
import {
  deleteNumber,
  findNumber,
  findNumberByNumber,
  insertNumber,
  listNumbers,
  updateNumber,
  type NumberRecord,
} from '../../store/numbers-repository';
import { findProfile } from '../../store/profiles-repository';
import { findQueue } from '../../store/queues-repository';
import { findUser } from '../../store/users-repository';
import { conflict, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/numbers',
    tags: ['numbers'],
    summary: 'Phone numbers the carriers route here, and whom each rings (admin)',
    responses: { 200: json(phoneNumberListSchema, 'All numbers, in order.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/numbers',
    tags: ['numbers'],
    summary:
      "Add a number (E.164) to the account's pool or a profile, assigned to a user of that profile, a group, a queue or nobody yet (admin)",
    request: jsonBody(numberCreateSchema),
    responses: { 201: json(phoneNumberSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/numbers/{id}',
    tags: ['numbers'],
    summary: 'One number (admin)',
    request: { params: idParams },
    responses: { 200: json(phoneNumberSchema, 'The number.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/numbers/{id}',
    tags: ['numbers'],
    summary:
      'Allocate a number to a profile or back to the pool, assign it to someone else, or relabel it (admin)',
    request: { params: idParams, ...jsonBody(numberUpdateSchema) },
    responses: { 200: json(phoneNumberSchema, 'Updated.'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/numbers/{id}',
    tags: ['numbers'],
    summary: 'Delete a number: calls to it are refused from then on (admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
};

export const presentPhoneNumber = (n: NumberRecord): PhoneNumber => ({
  ...n,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});

/** Snapshot kept in the audit log: whom it rings by name, as the console shows it. */
const auditView = (n: NumberRecord) => ({
  number: n.number,
  label: n.label,
  profile: n.profile?.name ?? null,
  assignment:
    n.assignment === null
      ? null
      : n.assignment.kind === 'user'
        ? { kind: 'user', userId: n.assignment.userId, username: n.assignment.username }
        : n.assignment.kind === 'group'
          ? { kind: 'group', groupId: n.assignment.groupId, name: n.assignment.name }
          : { kind: 'queue', queueId: n.assignment.queueId, name: n.assignment.name },
});

async function mustFind(db: DbOrTx, id: number): Promise<NumberRecord> {
  const number = await findNumber(db, id);
  if (!number) throw notFound(`Number ${id}`);
  return number;
}

/** An assignment to someone who does not exist is a field error naming the field. */
async function checkAssignment(db: DbOrTx, assignment: NumberAssignment | undefined): Promise<void> {
  if (!assignment) return;
  const [field, what, exists] =
    assignment.kind === 'user'
      ? ['assignment.userId', `User ${assignment.userId}`, await findUser(db, assignment.userId)]
      : assignment.kind === 'group'
        ? ['assignment.groupId', `Group ${assignment.groupId}`, await findGroup(db, assignment.groupId)]
        : ['assignment.queueId', `Queue ${assignment.queueId}`, await findQueue(db, assignment.queueId)];
  if (exists) return;
  throw new HttpError(400, 'validation_failed', `${what} does not exist; choose another.`, {
    [field]: `${what} does not exist`,
  });
}

/**
 * A number of a profile rings only a user on that profile: its profile must exist, and a user
 * it is assigned to must be on it (groups are not per profile).
 */
async function checkProfile(
  db: DbOrTx,
  profileId: number | null,
  assignment: NumberAssignment,
  changing: 'profile' | 'assignment',
): Promise<void> {
  if (profileId === null) return;
  const profile = await findProfile(db, profileId);
  if (!profile)
    throw new HttpError(400, 'validation_failed', `Profile ${profileId} does not exist; choose another.`, {
      profileId: `Profile ${profileId} does not exist`,
    });
  if (assignment?.kind !== 'user') return;
  const user = await findUser(db, assignment.userId);
  if (!user || user.profileId === profileId) return;
  const message = `${user.username} is not on profile ${profile.name}; a number of ${profile.name} rings only its users.`;
  throw new HttpError(400, 'validation_failed', message, {
    [changing === 'profile' ? 'profileId' : 'assignment.userId']: message,
  });
}

export const numberRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canManageNumbers);
    return c.json({ items: (await listNumbers(c.var.deps.db)).map(presentPhoneNumber) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageNumbers);
    const input = c.req.valid('json');
    const created = await mutate(c.var.deps, actor, async (tx, audit) => {
      const taken = await findNumberByNumber(tx, input.number);
      if (taken)
        throw conflict(
          `The number ${input.number} is already in the list${taken.label ? ` (${taken.label})` : ''}.`,
          'number',
        );
      await checkAssignment(tx, input.assignment);
      await checkProfile(tx, input.profileId, input.assignment, 'assignment');
      const id = await insertNumber(tx, input);
      const number = await mustFind(tx, id);
      await audit({ action: 'number.create', entity: 'number', entityId: id, after: auditView(number) });
      return { result: number, events: [{ entity: 'number', id }] };
    });
    return c.json(presentPhoneNumber(created), 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canManageNumbers);
    return c.json(presentPhoneNumber(await mustFind(c.var.deps.db, c.req.valid('param').id)), 200);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageNumbers);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const updated = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkAssignment(tx, change.assignment);
      const assignment: NumberAssignment =
        change.assignment !== undefined
          ? change.assignment
          : before.assignment?.kind === 'user'
            ? { kind: 'user', userId: before.assignment.userId }
            : null;
      await checkProfile(
        tx,
        change.profileId !== undefined ? change.profileId : (before.profile?.id ?? null),
        assignment,
        change.assignment !== undefined ? 'assignment' : 'profile',
      );
      await updateNumber(tx, id, change);
      const after = await mustFind(tx, id);
      await audit({
        action: 'number.update',
        entity: 'number',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return { result: after, events: [{ entity: 'number', id }] };
    });
    return c.json(presentPhoneNumber(updated), 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageNumbers);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteNumber(tx, id);
      await audit({ action: 'number.delete', entity: 'number', entityId: id, before: auditView(before) });
      return { result: null, events: [{ entity: 'number', id }] };
    });
    return c.body(null, 204);
  });
