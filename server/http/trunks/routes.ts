import { createRoute } from '@hono/zod-openapi';
import {
  trunkCreateSchema,
  trunkListSchema,
  trunkSchema,
  trunkUpdateSchema,
  type TrunkAuth,
} from '../../../contracts/trunks';
import type { SecretBox } from '../../auth/secret-box';
import { canManageTrunks } from '../../../contracts/policy/console-access';
import type { DbOrTx } from '../../store/database';
import {
  deleteTrunk,
  findTrunk,
  findTrunkByName,
  insertTrunk,
  listTrunks,
  updateTrunk,
  type StoredTrunkAuth,
  type TrunkRecord,
} from '../../store/trunks-repository';
import type { Deps } from '../app-env';
import { conflict, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';
import { mediaReadiness, presentTrunk, statusOf } from './present-trunk';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/trunks',
    tags: ['trunks'],
    summary: 'SIP trunks with their live status, and whether trunk calls can have media (admin)',
    responses: { 200: json(trunkListSchema, 'All trunks, in priority order.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/trunks',
    tags: ['trunks'],
    summary: 'Add a trunk to a carrier or PBX; a password is stored encrypted and never shown (admin)',
    request: jsonBody(trunkCreateSchema),
    responses: { 201: json(trunkSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/trunks/{id}',
    tags: ['trunks'],
    summary: 'One trunk with its live status (admin)',
    request: { params: idParams },
    responses: { 200: json(trunkSchema, 'The trunk.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/trunks/{id}',
    tags: ['trunks'],
    summary:
      'Change a trunk; `auth` of kind register without a password keeps the stored one, kind ip drops it (admin)',
    request: { params: idParams, ...jsonBody(trunkUpdateSchema) },
    responses: { 200: json(trunkSchema, 'Updated.'), ...errorResponses, ...conflictResponse },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/trunks/{id}',
    tags: ['trunks'],
    summary: 'Delete a trunk; call records keep its name (admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
};

/** What happened to a registering trunk's password in a change, as the audit log says it. */
type PasswordNote = '(set)' | '(changed)' | '(kept)';

/**
 * Snapshot kept in the audit log. A password is never in it, sealed or not: only whether one is
 * stored, or (`password`) what happened to it in this change.
 */
function auditView(trunk: TrunkRecord, password?: PasswordNote) {
  const { id: _i, createdAt: _c, updatedAt: _u, auth, ...settings } = trunk;
  return {
    ...settings,
    auth:
      auth.kind === 'register'
        ? { kind: 'register', username: auth.username, password: password ?? '(stored)' }
        : { kind: 'ip', addresses: auth.addresses },
  };
}

async function mustFind(db: DbOrTx, id: number): Promise<TrunkRecord> {
  const trunk = await findTrunk(db, id);
  if (!trunk) throw notFound(`Trunk ${id}`);
  return trunk;
}

async function checkName(db: DbOrTx, name: string, ownId?: number): Promise<void> {
  const taken = await findTrunkByName(db, name);
  if (taken && taken.id !== ownId) throw conflict(`A trunk named ${name} already exists.`, 'name');
}

/**
 * The authentication to store: a registering trunk with a new password gets it sealed (`sealed`,
 * done before the transaction: the key's first use must not wait on it), one without keeps the
 * password it has; `ip` keeps none. No password to keep is a field error.
 */
function storedAuth(
  auth: TrunkAuth,
  sealed: string | undefined,
  before?: StoredTrunkAuth,
): { auth: StoredTrunkAuth; password: PasswordNote | undefined } {
  if (auth.kind === 'ip')
    return { auth: { kind: 'ip', addresses: [...new Set(auth.addresses)] }, password: undefined };
  if (sealed !== undefined)
    return {
      auth: { kind: 'register', username: auth.username, passwordSealed: sealed },
      password: before?.kind === 'register' ? '(changed)' : '(set)',
    };
  if (before?.kind === 'register' && before.passwordSealed !== '')
    return {
      auth: { kind: 'register', username: auth.username, passwordSealed: before.passwordSealed },
      password: '(kept)',
    };
  const message = 'a registering trunk needs a password';
  throw new HttpError(400, 'validation_failed', `Please correct the request: ${message}.`, {
    'auth.password': message,
  });
}

/** A new password sealed, before any transaction. */
async function sealNew(secrets: SecretBox, auth: TrunkAuth | undefined): Promise<string | undefined> {
  return auth?.kind === 'register' && auth.password !== undefined ? secrets.seal(auth.password) : undefined;
}

const present = (deps: Deps, trunk: TrunkRecord) => presentTrunk(trunk, statusOf(trunk, deps.trunkStatus));

export const trunkRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canManageTrunks);
    const deps = c.var.deps;
    const items = (await listTrunks(deps.db)).map((trunk) => present(deps, trunk));
    return c.json({ items, media: mediaReadiness(deps.media) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageTrunks);
    const { auth, ...input } = c.req.valid('json');
    const deps = c.var.deps;
    const stored = storedAuth(auth, await sealNew(deps.trunkSecrets, auth));
    const created = await mutate(deps, actor, async (tx, audit) => {
      await checkName(tx, input.name);
      const id = await insertTrunk(tx, { ...input, auth: stored.auth });
      const trunk = await mustFind(tx, id);
      await audit({
        action: 'trunk.create',
        entity: 'trunk',
        entityId: id,
        after: auditView(trunk, stored.password),
      });
      return { result: trunk, events: [{ entity: 'trunk', id }] };
    });
    return c.json(present(deps, created), 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canManageTrunks);
    const deps = c.var.deps;
    return c.json(present(deps, await mustFind(deps.db, c.req.valid('param').id)), 200);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageTrunks);
    const { id } = c.req.valid('param');
    const { auth, ...change } = c.req.valid('json');
    const deps = c.var.deps;
    const sealed = await sealNew(deps.trunkSecrets, auth);
    const updated = await mutate(deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      if (change.name !== undefined) await checkName(tx, change.name, id);
      const stored = auth && storedAuth(auth, sealed, before.auth);
      await updateTrunk(tx, id, { ...change, ...(stored ? { auth: stored.auth } : {}) });
      const after = await mustFind(tx, id);
      await audit({
        action: 'trunk.update',
        entity: 'trunk',
        entityId: id,
        before: auditView(before),
        after: auditView(after, stored?.password),
      });
      return { result: after, events: [{ entity: 'trunk', id }] };
    });
    return c.json(present(deps, updated), 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageTrunks);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteTrunk(tx, id);
      await audit({ action: 'trunk.delete', entity: 'trunk', entityId: id, before: auditView(before) });
      return { result: null, events: [{ entity: 'trunk', id }] };
    });
    return c.body(null, 204);
  });
