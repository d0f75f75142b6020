import { createRoute } from '@hono/zod-openapi';
import {
  userCreateSchema,
  userListQuerySchema,
  userListSchema,
  userSchema,
  userUpdateSchema,
  userWithPasswordSchema,
  type UserUpdate,
} from '../../../contracts/users';
import { canManageUsers, canReadUsers } from '../../../contracts/policy/console-access';
import { deleteUserSessions } from '../../store/sessions-repository';
import type { DbOrTx } from '../../store/database';
import { findProfile } from '../../store/profiles-repository';
import { findQueueByExtension } from '../../store/queues-repository';
import { createAccount, resetAccountPassword } from '../../store/user-accounts';
import {
  bumpSipCredentialGeneration,
  deleteUser,
  findUser,
  findUserByExtension,
  findUserByUsername,
  listUsers,
  updateUser,
  type UserRow,
} from '../../store/users-repository';
import { conflict, forbidden, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';
import { presentUser } from './present-user';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/users',
    tags: ['users'],
    summary: 'Users, searched and paged on the server (operator and up)',
    request: { query: userListQuerySchema },
    responses: { 200: json(userListSchema, 'A page of users.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/users',
    tags: ['users'],
    summary: 'Create a user; the generated password is in this answer only (admin)',
    request: jsonBody(userCreateSchema),
    responses: { 201: json(userWithPasswordSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/users/{id}',
    tags: ['users'],
    summary: 'One user (operator and up)',
    request: { params: idParams },
    responses: { 200: json(userSchema, 'The user.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/users/{id}',
    tags: ['users'],
    summary: 'Change role, profile, extension, email, location or call-list privacy (admin)',
    request: { params: idParams, ...jsonBody(userUpdateSchema) },
    responses: { 200: json(userSchema, 'Updated.'), ...errorResponses, ...conflictResponse },
  }),
  resetPassword: createRoute({
    method: 'post',
    path: '/users/{id}/password',
    tags: ['users'],
    summary: 'Reset the password to a new generated one, shown once; signs the user out (admin)',
    request: { params: idParams },
    responses: { 200: json(userWithPasswordSchema, 'The new password.'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/users/{id}',
    tags: ['users'],
    summary: 'Delete a user (admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
};

const auditView = (u: UserRow) => ({
  username: u.username,
  displayName: u.displayName,
  email: u.email,
  extension: u.extension,
  location: u.location,
  role: u.role,
  profile: u.profileName,
  callListPrivacy: u.callListPrivacy,
});

async function mustFind(db: DbOrTx, id: number): Promise<UserRow> {
  const user = await findUser(db, id);
  if (!user) throw notFound(`User ${id}`);
  return user;
}

async function checkUnique(
  db: DbOrTx,
  change: UserUpdate & { username?: string },
  ownId?: number,
): Promise<void> {
  if (change.username !== undefined) {
    const taken = await findUserByUsername(db, change.username);
    if (taken && taken.id !== ownId) throw conflict(`The username ${change.username} is taken.`, 'username');
  }
  if (change.extension !== undefined) {
    const taken = await findUserByExtension(db, change.extension);
    if (taken && taken.id !== ownId)
      throw conflict(
        `Extension ${change.extension} belongs to ${taken.username}; choose another.`,
        'extension',
      );
    const queue = await findQueueByExtension(db, change.extension);
    if (queue)
      throw conflict(
        `Extension ${change.extension} belongs to the queue ${queue.name}; choose another.`,
        'extension',
      );
  }
  if (
    change.profileId !== undefined &&
    change.profileId !== null &&
    !(await findProfile(db, change.profileId))
  )
    throw new HttpError(400, 'validation_failed', `Profile ${change.profileId} does not exist.`, {
      profileId: `Profile ${change.profileId} does not exist`,
    });
}

async function countAdmins(db: DbOrTx): Promise<number> {
  return (await listUsers(db, { role: 'admin', offset: 0, limit: 1 })).total;
}

export const userRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canReadUsers);
    const query = c.req.valid('query');
    const { items, total } = await listUsers(c.var.deps.db, query);
    return c.json({ items: items.map(presentUser), total, offset: query.offset, limit: query.limit }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageUsers);
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const created = await mutate(deps, actor, async (tx, audit) => {
      await checkUnique(tx, input);
      const { id, password } = await createAccount(tx, input, deps.config.sipDomain);
      const user = await mustFind(tx, id);
      await audit({ action: 'user.create', entity: 'user', entityId: id, after: auditView(user) });
      return { result: { user: presentUser(user), password }, events: [{ entity: 'user', id }] };
    });
    return c.json(created, 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canReadUsers);
    return c.json(presentUser(await mustFind(c.var.deps.db, c.req.valid('param').id)), 200);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageUsers);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const updated = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkUnique(tx, change, id);
      if (before.role === 'admin' && change.role && change.role !== 'admin' && (await countAdmins(tx)) <= 1)
        throw forbidden('This is the last admin; make another user admin first.');
      await updateUser(tx, id, change);
      const after = await mustFind(tx, id);
      await audit({
        action: 'user.update',
        entity: 'user',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      const sipChanged = before.profileId !== after.profileId || before.role !== after.role;
      // Short-lived SIP credentials were issued for the old role and profile: they end.
      if (sipChanged) await bumpSipCredentialGeneration(tx, id);
      return {
        result: { after, sipChanged },
        events: [
          { entity: 'user', id },
          { entity: 'profile', id: null },
        ],
      };
    });
    // A phone registered under the old profile or role must sign in again under the new one.
    if (updated.sipChanged) c.var.deps.sip.dropUser(id);
    return c.json(presentUser(updated.after), 200);
  })
  .openapi(routes.resetPassword, async (c) => {
    const actor = authorize(c, canManageUsers);
    const { id } = c.req.valid('param');
    const deps = c.var.deps;
    const result = await mutate(deps, actor, async (tx, audit) => {
      const user = await mustFind(tx, id);
      const password = await resetAccountPassword(tx, user, deps.config.sipDomain);
      if (user.id !== actor.id) await deleteUserSessions(tx, user.id);
      await audit({ action: 'user.reset_password', entity: 'user', entityId: id });
      return { result: { user: presentUser(user), password }, events: [{ entity: 'user', id }] };
    });
    // Phones registered with the old password, or with credentials of a session, sign in again.
    deps.sip.dropUser(id);
    return c.json(result, 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageUsers);
    const { id } = c.req.valid('param');
    if (id === actor.id) throw forbidden('You cannot delete yourself; ask another admin.');
    const deps = c.var.deps;
    await mutate(deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteUser(tx, id);
      await audit({ action: 'user.delete', entity: 'user', entityId: id, before: auditView(before) });
      return {
        result: null,
        events: [
          { entity: 'user', id },
          { entity: 'group', id: null },
          { entity: 'profile', id: null },
        ],
      };
    });
    deps.sip.dropUser(id);
    return c.body(null, 204);
  });
