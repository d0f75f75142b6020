import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Context } from 'hono';
import {
  deviceCreatedSchema,
  deviceCreateSchema,
  deviceListSchema,
  deviceSchema,
  deviceUpdateSchema,
  MAX_DEVICES_PER_USER,
  type DeviceCreate,
  type DeviceList,
} from '../../../contracts/devices';
import { canAddDevice, canChangeDevice, canReadDevices } from '../../../contracts/policy/device-access';
import type { Actor } from '../../../contracts/policy/console-access';
import type { Decision } from '../../../contracts/policy/decision';
import {
  countDevices,
  deleteDevice,
  findDevice,
  insertExternalNumber,
  insertSipPhone,
  listDevices,
  renameDevice,
  type DeviceRow,
} from '../../store/devices-repository';
import type { DbOrTx } from '../../store/database';
import { findUser } from '../../store/users-repository';
import type { AppEnv, Deps } from '../app-env';
import { conflict, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize, requireSignedIn, actorOf } from '../signed-in';
import { presentDevice, presentDeviceList } from './present-device';

const deviceParams = z.object({
  id: idParams.shape.id,
  deviceId: idParams.shape.id,
});
const myDeviceParams = z.object({ deviceId: idParams.shape.id });

const tags = ['devices'];
const routes = {
  list: createRoute({
    method: 'get',
    path: '/users/{id}/devices',
    tags,
    summary:
      "A user's desk phones and external numbers, and where their phones are registered (own; supervisor, admin)",
    request: { params: idParams },
    responses: { 200: json(deviceListSchema, 'The devices.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/users/{id}/devices',
    tags,
    summary:
      "Add a desk phone (credentials generated, in this answer only) or an external number (supervisor, admin; a user's own desk phone)",
    request: { params: idParams, ...jsonBody(deviceCreateSchema) },
    responses: { 201: json(deviceCreatedSchema, 'Added.'), ...errorResponses, ...conflictResponse },
  }),
  rename: createRoute({
    method: 'patch',
    path: '/users/{id}/devices/{deviceId}',
    tags,
    summary: 'Rename a device (own; supervisor, admin)',
    request: { params: deviceParams, ...jsonBody(deviceUpdateSchema) },
    responses: { 200: json(deviceSchema, 'Renamed.'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/users/{id}/devices/{deviceId}',
    tags,
    summary: 'Remove a device; a desk phone registered with it is signed out (own; supervisor, admin)',
    request: { params: deviceParams },
    responses: { ...noContent, ...errorResponses },
  }),
  myList: createRoute({
    method: 'get',
    path: '/me/devices',
    tags,
    summary: 'Your desk phones and external numbers, and where your phones are registered',
    responses: { 200: json(deviceListSchema, 'Your devices.'), ...errorResponses },
  }),
  myCreate: createRoute({
    method: 'post',
    path: '/me/devices',
    tags,
    summary: 'Add a desk phone of yours (an external number: supervisors and admins only)',
    request: jsonBody(deviceCreateSchema),
    responses: { 201: json(deviceCreatedSchema, 'Added.'), ...errorResponses, ...conflictResponse },
  }),
  myRename: createRoute({
    method: 'patch',
    path: '/me/devices/{deviceId}',
    tags,
    summary: 'Rename one of your devices',
    request: { params: myDeviceParams, ...jsonBody(deviceUpdateSchema) },
    responses: { 200: json(deviceSchema, 'Renamed.'), ...errorResponses },
  }),
  myRemove: createRoute({
    method: 'delete',
    path: '/me/devices/{deviceId}',
    tags,
    summary: 'Remove one of your devices',
    request: { params: myDeviceParams },
    responses: { ...noContent, ...errorResponses },
  }),
};

type Acting = Actor & { username: string };

/** The signed-in actor after a check on the device owner (403 with the policy's sentence). */
const allowed = (c: Context<AppEnv>, check: (actor: Actor) => Decision): Acting => authorize(c, check);

function me(c: Context<AppEnv>): number {
  return actorOf(requireSignedIn(c)).id;
}

async function mustFindUser(db: DbOrTx, id: number) {
  const user = await findUser(db, id);
  if (!user) throw notFound(`User ${id}`);
  return user;
}

async function mustFindDevice(db: DbOrTx, userId: number, deviceId: number): Promise<DeviceRow> {
  const device = await findDevice(db, userId, deviceId);
  if (!device) throw notFound(`Device ${deviceId} of user ${userId}`);
  return device;
}

const auditView = (device: DeviceRow, username: string) => ({
  user: username,
  kind: device.kind,
  name: device.name,
  sipUsername: device.sipUsername,
  number: device.number,
});

async function list(deps: Deps, userId: number): Promise<DeviceList> {
  await mustFindUser(deps.db, userId);
  await deps.sip.settled?.();
  return presentDeviceList(await listDevices(deps.db, userId), deps.sip.registrationsOf(userId));
}

/** The address a desk phone is given as registrar and outbound proxy. */
function serverAddress(c: Context<AppEnv>) {
  const { config, sip } = c.var.deps;
  const ports = sip.listeningPorts();
  const requestHost = (c.req.header('host') ?? '').replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  const bound = config.host === '0.0.0.0' || config.host === '::' ? null : config.host;
  return {
    host: config.sipAdvertisedHost ?? bound ?? (requestHost || config.host),
    udpPort: ports?.udp ?? config.sipUdpPort,
    tcpPort: ports?.tcp ?? config.sipTcpPort,
  };
}

async function create(c: Context<AppEnv>, actor: Acting, userId: number, input: DeviceCreate) {
  const deps = c.var.deps;
  const server = serverAddress(c);
  const created = await mutate(deps, actor, async (tx, audit) => {
    const owner = await mustFindUser(tx, userId);
    if ((await countDevices(tx, userId)) >= MAX_DEVICES_PER_USER)
      throw conflict(`${owner.username} has ${MAX_DEVICES_PER_USER} devices already; remove one first.`);
    let row: DeviceRow;
    let password: string | null = null;
    if (input.kind === 'sip_phone') {
      ({ row, password } = await insertSipPhone(tx, {
        userId,
        username: owner.username,
        name: input.name,
        realm: deps.config.sipDomain,
      }));
    } else {
      const same = (await listDevices(tx, userId)).find((d) => d.number === input.number);
      if (same)
        throw conflict(`${input.number} is already a device of ${owner.username} (${same.name}).`, 'number');
      row = await insertExternalNumber(tx, { userId, name: input.name, number: input.number });
    }
    await audit({
      action: 'device.create',
      entity: 'device',
      entityId: row.id,
      after: auditView(row, owner.username),
    });
    return { result: { row, password }, events: [{ entity: 'device', id: userId }] };
  });
  const { row, password } = created;
  return {
    device: presentDevice(row, []),
    credentials:
      password === null || row.sipUsername === null
        ? null
        : { username: row.sipUsername, password, domain: deps.config.sipDomain, server },
  };
}

async function rename(deps: Deps, actor: Acting, userId: number, deviceId: number, name: string) {
  const row = await mutate(deps, actor, async (tx, audit) => {
    const owner = await mustFindUser(tx, userId);
    const before = await mustFindDevice(tx, userId, deviceId);
    await renameDevice(tx, deviceId, name);
    const after = await mustFindDevice(tx, userId, deviceId);
    await audit({
      action: 'device.rename',
      entity: 'device',
      entityId: deviceId,
      before: auditView(before, owner.username),
      after: auditView(after, owner.username),
    });
    return { result: after, events: [{ entity: 'device', id: userId }] };
  });
  return presentDevice(
    row,
    deps.sip.registrationsOf(userId).filter((r) => r.deviceId === row.id),
  );
}

async function remove(deps: Deps, actor: Acting, userId: number, deviceId: number): Promise<void> {
  await mutate(deps, actor, async (tx, audit) => {
    const owner = await mustFindUser(tx, userId);
    const before = await mustFindDevice(tx, userId, deviceId);
    await deleteDevice(tx, deviceId);
    await audit({
      action: 'device.delete',
      entity: 'device',
      entityId: deviceId,
      before: auditView(before, owner.username),
    });
    return { result: null, events: [{ entity: 'device', id: userId }] };
  });
  // A desk phone registered with the removed credentials is signed out at once.
  deps.sip.dropDevice(deviceId);
}

export const deviceRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    const { id } = c.req.valid('param');
    allowed(c, (actor) => canReadDevices(actor, id));
    return c.json(await list(c.var.deps, id), 200);
  })
  .openapi(routes.create, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const actor = allowed(c, (a) => canAddDevice(a, id, input.kind));
    c.header('Cache-Control', 'no-store');
    return c.json(await create(c, actor, id, input), 201);
  })
  .openapi(routes.rename, async (c) => {
    const { id, deviceId } = c.req.valid('param');
    const actor = allowed(c, (a) => canChangeDevice(a, id));
    return c.json(await rename(c.var.deps, actor, id, deviceId, c.req.valid('json').name), 200);
  })
  .openapi(routes.remove, async (c) => {
    const { id, deviceId } = c.req.valid('param');
    const actor = allowed(c, (a) => canChangeDevice(a, id));
    await remove(c.var.deps, actor, id, deviceId);
    return c.body(null, 204);
  })
  .openapi(routes.myList, async (c) => {
    const id = me(c);
    return c.json(await list(c.var.deps, id), 200);
  })
  .openapi(routes.myCreate, async (c) => {
    const id = me(c);
    const input = c.req.valid('json');
    const actor = allowed(c, (a) => canAddDevice(a, id, input.kind));
    c.header('Cache-Control', 'no-store');
    return c.json(await create(c, actor, id, input), 201);
  })
  .openapi(routes.myRename, async (c) => {
    const id = me(c);
    const { deviceId } = c.req.valid('param');
    const actor = allowed(c, (a) => canChangeDevice(a, id));
    return c.json(await rename(c.var.deps, actor, id, deviceId, c.req.valid('json').name), 200);
  })
  .openapi(routes.myRemove, async (c) => {
    const id = me(c);
    const { deviceId } = c.req.valid('param');
    const actor = allowed(c, (a) => canChangeDevice(a, id));
    await remove(c.var.deps, actor, id, deviceId);
    return c.body(null, 204);
  });
