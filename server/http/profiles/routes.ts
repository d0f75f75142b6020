import { createRoute } from '@hono/zod-openapi';
import {
  profileCreateSchema,
  profileDeletedSchema,
  profileDeletionImpactSchema,
  profileListSchema,
  profileSchema,
  profileUpdateSchema,
  type ProfileUpdate,
} from '../../../contracts/profiles';
import {
  canChangeProfile,
  canCreateProfile,
  canDeleteProfile,
  canReadProfiles,
} from '../../../contracts/policy/console-access';
import { currencyDigits, formatMinorUnits } from '../../../contracts/money';
import {
  lockAccount,
  profileCreditOf,
  readAccount,
  returnProfileCredit,
} from '../../store/credit-repository';
import { findGroupByName } from '../../store/groups-repository';
import { profileNumbers, returnProfileNumbers } from '../../store/numbers-repository';
import type { DbOrTx } from '../../store/database';
import {
  countProfileCalls,
  deleteProfile,
  profileMemberIds,
  findProfile,
  findProfileByName,
  insertProfile,
  listProfiles,
  updateProfile,
  type ProfileRow,
} from '../../store/profiles-repository';
import { conflict, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';
import { presentProfile } from './present-profile';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/profiles',
    tags: ['profiles'],
    summary: 'SIP profiles with seats and channels in use (supervisor, admin)',
    responses: { 200: json(profileListSchema, 'All profiles.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/profiles',
    tags: ['profiles'],
    summary: 'Create a profile (supervisor, admin)',
    request: jsonBody(profileCreateSchema),
    responses: { 201: json(profileSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  get: createRoute({
    method: 'get',
    path: '/profiles/{id}',
    tags: ['profiles'],
    summary: 'One profile (supervisor, admin)',
    request: { params: idParams },
    responses: { 200: json(profileSchema, 'The profile.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/profiles/{id}',
    tags: ['profiles'],
    summary: 'Change or rename a profile; its users stay on it (supervisor on another profile, admin)',
    request: { params: idParams, ...jsonBody(profileUpdateSchema) },
    responses: { 200: json(profileSchema, 'Updated.'), ...errorResponses, ...conflictResponse },
  }),
  impact: createRoute({
    method: 'get',
    path: '/profiles/{id}/deletion-impact',
    tags: ['profiles'],
    summary:
      'What deleting a profile would do (users, call history, credit returned to the account, numbers returned to the pool), and where to export its call history first (admin)',
    request: { params: idParams },
    responses: { 200: json(profileDeletionImpactSchema, 'The impact.'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/profiles/{id}',
    tags: ['profiles'],
    summary:
      "Delete a profile: its users lose it, its call history is deleted, its credit goes back to the account's balance and its numbers to the pool (admin)",
    request: { params: idParams },
    responses: { 200: json(profileDeletedSchema, 'Deleted.'), ...errorResponses },
  }),
};

/** Snapshot kept in the audit log: the settings a person changes, nothing live. */
const auditView = (p: ProfileRow) => ({
  name: p.name,
  capacity: p.capacity,
  channelLimit: p.channelLimit,
  flags: p.flags,
  bargeGroup: p.bargeGroup,
  monitorNotice: p.monitorNotice,
  recording: p.recording,
  recordingRetentionDays: p.recordingRetentionDays,
  recordingNotice: p.recordingNotice,
});

async function mustFind(db: DbOrTx, id: number): Promise<ProfileRow> {
  const profile = await findProfile(db, id);
  if (!profile) throw notFound(`Profile ${id}`);
  return profile;
}

async function checkNameAndGroup(db: DbOrTx, change: ProfileUpdate, ownId?: number): Promise<void> {
  if (change.name !== undefined) {
    const taken = await findProfileByName(db, change.name);
    if (taken && taken.id !== ownId) throw conflict(`A profile named ${change.name} already exists.`, 'name');
  }
  if (change.bargeGroup) {
    const group = await findGroupByName(db, change.bargeGroup);
    if (!group)
      throw new HttpError(
        400,
        'validation_failed',
        `Group ${change.bargeGroup} does not exist; create it first.`,
        {
          bargeGroup: `Group ${change.bargeGroup} does not exist`,
        },
      );
  }
}

export const profileRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    authorize(c, canReadProfiles);
    const { db, live } = c.var.deps;
    return c.json({ items: (await listProfiles(db)).map((p) => presentProfile(p, live)) }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canCreateProfile);
    const input = c.req.valid('json');
    const deps = c.var.deps;
    const created = await mutate(deps, actor, async (tx, audit) => {
      await checkNameAndGroup(tx, input);
      const id = await insertProfile(tx, input);
      const profile = await mustFind(tx, id);
      await audit({ action: 'profile.create', entity: 'profile', entityId: id, after: auditView(profile) });
      return { result: profile, events: [{ entity: 'profile', id }] };
    });
    return c.json(presentProfile(created, deps.live), 201);
  })
  .openapi(routes.get, async (c) => {
    authorize(c, canReadProfiles);
    const { db, live } = c.var.deps;
    return c.json(presentProfile(await mustFind(db, c.req.valid('param').id), live), 200);
  })
  .openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param');
    const actor = authorize(c, (a) => canChangeProfile(a, id));
    const change = c.req.valid('json');
    const deps = c.var.deps;
    const updated = await mutate(deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkNameAndGroup(tx, change, id);
      await updateProfile(tx, id, change);
      const after = await mustFind(tx, id);
      const action =
        change.name !== undefined && change.name !== before.name ? 'profile.rename' : 'profile.update';
      await audit({
        action,
        entity: 'profile',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return { result: after, events: [{ entity: 'profile', id }] };
    });
    return c.json(presentProfile(updated, deps.live), 200);
  })
  .openapi(routes.impact, async (c) => {
    authorize(c, canDeleteProfile);
    const { id } = c.req.valid('param');
    const { db } = c.var.deps;
    const profile = await mustFind(db, id);
    const { currency } = await readAccount(db);
    return c.json(
      {
        userCount: profile.userCount,
        callRecordCount: await countProfileCalls(db, id),
        exportUrl: `/api/calls/export.csv?profileId=${id}`,
        credit: formatMinorUnits(await profileCreditOf(db, id), currencyDigits(currency)),
        currency,
        numbers: await profileNumbers(db, id),
      },
      200,
    );
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canDeleteProfile);
    const { id } = c.req.valid('param');
    const result = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      const memberIds = await profileMemberIds(tx, id);
      // Its credit goes back to the account and its numbers to the pool, before the profile goes.
      const { currency } = await lockAccount(tx);
      const creditReturned = formatMinorUnits(await returnProfileCredit(tx, id), currencyDigits(currency));
      const numbersReturned = await returnProfileNumbers(tx, id);
      const { callRecords } = await deleteProfile(tx, id);
      await audit({
        action: 'profile.delete',
        entity: 'profile',
        entityId: id,
        before: {
          ...auditView(before),
          userCount: before.userCount,
          callRecordsDeleted: callRecords,
          creditReturned: `${currency} ${creditReturned}`,
          numbersReturned,
        },
      });
      return {
        result: {
          usersUnassigned: before.userCount,
          callRecordsDeleted: callRecords,
          creditReturned,
          currency,
          numbersReturned,
          memberIds,
        },
        events: [
          { entity: 'profile', id },
          { entity: 'user', id: null },
          { entity: 'call', id: null },
          { entity: 'credit', id: null },
          { entity: 'number', id: null },
        ],
      };
    });
    // Its users can no longer use the phone: their registrations end now, not at the next refresh.
    for (const userId of result.memberIds) c.var.deps.sip.dropUser(userId);
    const { memberIds: _members, ...deleted } = result;
    return c.json(deleted, 200);
  });
