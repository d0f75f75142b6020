import { createRoute } from '@hono/zod-openapi';
import type { LiveEvent } from '../../../contracts/events';
import {
  groupCreateSchema,
  groupListSchema,
  groupSchema,
  groupUpdateSchema,
  type Group,
} from '../../../contracts/groups';
import {
  canChangeMembership,
  canManageGroups,
  canReadGroups,
} from '../../../contracts/policy/console-access';
import { canMonitorMember } from '../../../contracts/policy/monitoring';
import type { DbOrTx } from '../../store/database';
import {
  addMember,
  deleteGroup,
  findGroup,
  findGroupByName,
  insertGroup,
  listGroups,
  removeMember,
  renameGroup,
  type GroupRow,
} from '../../store/groups-repository';
import { findUser } from '../../store/users-repository';
import { conflict, forbidden, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize, requireSignedIn, actorOf } from '../signed-in';

const memberParams = idParams.extend({ userId: idParams.shape.id });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/groups',
    tags: ['groups'],
    summary: 'Groups with their members (operator and up)',
    responses: { 200: json(groupListSchema, 'All groups.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/groups',
    tags: ['groups'],
    summary: 'Create a group (supervisor, admin)',
    request: jsonBody(groupCreateSchema),
    responses: { 201: json(groupSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/groups/{id}',
    tags: ['groups'],
    summary: 'One group (operator and up)',
    request: { params: idParams },
    responses: { 200: json(groupSchema, 'The group.'), ...errorResponses },
  }),
  rename: createRoute({
    method: 'patch',
    path: '/groups/{id}',
    tags: ['groups'],
    summary: 'Rename a group; profiles monitoring it follow (supervisor, admin)',
    request: { params: idParams, ...jsonBody(groupUpdateSchema) },
    responses: { 200: json(groupSchema, 'Renamed.'), ...errorResponses, ...conflictResponse },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/groups/{id}',
    tags: ['groups'],
    summary: 'Delete a group; profiles monitoring it lose their barge group (supervisor, admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
  addMember: createRoute({
    method: 'put',
    path: '/groups/{id}/members/{userId}',
    tags: ['groups'],
    summary: "Add a member (supervisor, admin; an operator to their profile's barge group)",
    request: { params: memberParams },
    responses: { 200: json(groupSchema, 'The group with the member.'), ...errorResponses },
  }),
  removeMember: createRoute({
    method: 'delete',
    path: '/groups/{id}/members/{userId}',
    tags: ['groups'],
    summary: "Remove a member (supervisor, admin; an operator from their profile's barge group)",
    request: { params: memberParams },
    responses: { 200: json(groupSchema, 'The group without the member.'), ...errorResponses },
  }),
};

export const presentGroup = (g: GroupRow): Group => ({
  ...g,
  members: g.members.map(({ role: _, ...member }) => member),
  createdAt: g.createdAt.toISOString(),
});

async function mustFind(db: DbOrTx, id: number): Promise<GroupRow> {
  const group = await findGroup(db, id);
  if (!group) throw notFound(`Group ${id}`);
  return group;
}

async function checkName(db: DbOrTx, name: string, ownId?: number): Promise<void> {
  const taken = await findGroupByName(db, name);
  if (taken && taken.id !== ownId) throw conflict(`A group named ${name} already exists.`, 'name');
}

export const groupRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canReadGroups);
    return c.json({ items: (await listGroups(c.var.deps.db)).map(presentGroup) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageGroups);
    const { name } = c.req.valid('json');
    const group = await mutate(c.var.deps, actor, async (tx, audit) => {
      await checkName(tx, name);
      const id = await insertGroup(tx, name);
      await audit({ action: 'group.create', entity: 'group', entityId: id, after: { name } });
      return { result: await mustFind(tx, id), events: [{ entity: 'group', id }] };
    });
    return c.json(presentGroup(group), 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canReadGroups);
    return c.json(presentGroup(await mustFind(c.var.deps.db, c.req.valid('param').id)), 200);
  })
  .openapi(routes.rename, async (c) => {
    const actor = authorize(c, canManageGroups);
    const { id } = c.req.valid('param');
    const { name } = c.req.valid('json');
    const group = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkName(tx, name, id);
      await renameGroup(tx, id, before.name, name);
      await audit({
        action: 'group.rename',
        entity: 'group',
        entityId: id,
        before: { name: before.name },
        after: { name },
      });
      return {
        result: await mustFind(tx, id),
        events: [
          { entity: 'group', id },
          { entity: 'profile', id: null },
        ],
      };
    });
    return c.json(presentGroup(group), 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageGroups);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteGroup(tx, id, before.name);
      await audit({
        action: 'group.delete',
        entity: 'group',
        entityId: id,
        before: { name: before.name, members: before.members.map((m) => m.username) },
      });
      return {
        result: null,
        events: [
          { entity: 'group', id },
          { entity: 'profile', id: null },
          { entity: 'user', id: null },
        ],
      };
    });
    return c.body(null, 204);
  })
  .openapi(routes.addMember, async (c) => {
    const { id, userId } = c.req.valid('param');
    return c.json(await changeMembership(c, id, userId, 'add'), 200);
  })
  .openapi(routes.removeMember, async (c) => {
    const { id, userId } = c.req.valid('param');
    return c.json(await changeMembership(c, id, userId, 'remove'), 200);
  });

async function changeMembership(
  c: Parameters<typeof requireSignedIn>[0],
  groupId: number,
  userId: number,
  kind: 'add' | 'remove',
): Promise<Group> {
  const signedIn = requireSignedIn(c);
  const actor = { ...actorOf(signedIn), username: signedIn.user.username };
  const deps = c.var.deps;
  const group = await mutate(deps, actor, async (tx, audit) => {
    const before = await mustFind(tx, groupId);
    const decision = canChangeMembership(actor, before.name);
    if (!decision.allowed) throw forbidden(decision.reason);
    const user = await findUser(tx, userId);
    if (!user) throw notFound(`User ${userId}`);
    // Joining someone's own barge group means being monitored by them: only a lower role may.
    if (kind === 'add' && actor.bargeGroup === before.name) {
      if (user.id === actor.id)
        throw forbidden(
          `You cannot monitor your own calls, so you cannot join your barge group ${before.name}.`,
        );
      const rank = canMonitorMember(actor.role, user);
      if (!rank.allowed)
        throw forbidden(`${rank.reason}, so they cannot join your barge group ${before.name}.`);
    }
    const changed =
      kind === 'add' ? await addMember(tx, groupId, userId) : await removeMember(tx, groupId, userId);
    const after = await mustFind(tx, groupId);
    const members = (g: GroupRow) => ({ name: g.name, members: g.members.map((m) => m.username) });
    if (changed)
      await audit({
        action: kind === 'add' ? 'group.add_member' : 'group.remove_member',
        entity: 'group',
        entityId: groupId,
        before: members(before),
        after: members(after),
      });
    const events: LiveEvent[] = changed
      ? [
          { entity: 'group', id: groupId },
          { entity: 'user', id: userId },
        ]
      : [];
    return { result: after, events };
  });
  return presentGroup(group);
}
