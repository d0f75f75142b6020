import { http, HttpResponse } from 'msw';
import {
  deviceCreateSchema,
  deviceUpdateSchema,
  MAX_DEVICES_PER_USER,
  type Device,
  type DeviceCreated,
  type DeviceList,
} from '../../../contracts/devices';
import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import type { Actor } from '../../../contracts/policy/console-access';
import type { Decision } from '../../../contracts/policy/decision';
import { canAddDevice, canChangeDevice, canReadDevices } from '../../../contracts/policy/device-access';
import type { Me } from '../../../contracts/users';
import { fakeDb } from '../fake-db';
import { fakeDevices } from '../fake-devices';
import { fakeSession } from '../fake-session';
import { apiError, conflictOn, notFound, validationFailed } from './api-errors';
import { unauthenticated } from './roles';

/** The password every desk phone added here gets; the real server generates one. */
export const FAKE_DEVICE_PASSWORD = 'Qm4vT8xLr2Wc9bZe';

/** What the credentials name as the server: the test server's SIP address and ports. */
export const FAKE_SIP_SERVER = { host: 'pbx.example.com', udpPort: 5060, tcpPort: 5060 };
export const FAKE_SIP_DOMAIN = 'switchboard.local';

type UserParams = { id: string };
type DeviceParams = { id: string; deviceId: string };
type MyDeviceParams = { deviceId: string };

/** The server's refusals: its own rules (contracts/policy/device-access.ts), as server/http/devices/routes.ts asks them. */
const forbidden = (message: string) => apiError(403, { code: 'forbidden', message });

type Access = { me: Me; owner: { id: number; username: string } } | { refused: Response };

function access(ownerId: string | number, check: (actor: Actor, ownerId: number) => Decision): Access {
  const me = fakeSession.current();
  if (!me) return { refused: unauthenticated() };
  const owner = fakeDb.state.users.find((user) => String(user.id) === String(ownerId));
  const decision = check(actorOfMe(me), Number(ownerId));
  if (!decision.allowed) return { refused: forbidden(decision.reason) };
  if (!owner) return { refused: notFound(`User ${ownerId}`) };
  return { me, owner };
}

const devicesOf = (ownerId: number) =>
  fakeDevices.state.devices.filter((device) => device.userId === ownerId);

function list(ownerId: string | number): Response {
  const allowed = access(ownerId, canReadDevices);
  if ('refused' in allowed) return allowed.refused;
  return HttpResponse.json<DeviceList>({
    items: devicesOf(allowed.owner.id),
    browser: { registrations: fakeDevices.state.browserTabs.get(allowed.owner.id) ?? [] },
  });
}

async function create(ownerId: string | number, request: Request): Promise<Response> {
  const me = fakeSession.current();
  if (!me) return unauthenticated();
  const parsed = deviceCreateSchema.safeParse(await request.json());
  if (!parsed.success) return validationFailed(parsed.error);
  const input = parsed.data;
  const allowed = access(ownerId, (actor, owner) => canAddDevice(actor, owner, input.kind));
  if ('refused' in allowed) return allowed.refused;
  const { owner } = allowed;
  const existing = devicesOf(owner.id);
  if (existing.length >= MAX_DEVICES_PER_USER)
    return apiError(409, {
      code: 'conflict',
      message: `${owner.username} has ${MAX_DEVICES_PER_USER} devices already; remove one first.`,
    });
  if (input.kind === 'external_number') {
    const same = existing.find((device) => device.number === input.number);
    if (same)
      return conflictOn('number', `${input.number} is already a device of ${owner.username} (${same.name}).`);
  }
  const now = new Date().toISOString();
  const id = fakeDb.newId();
  const device: Device = {
    id,
    userId: owner.id,
    kind: input.kind,
    name: input.name,
    sipUsername: input.kind === 'sip_phone' ? `${owner.username}-d${id}` : null,
    number: input.kind === 'external_number' ? input.number : null,
    registrations: [],
    createdAt: now,
    updatedAt: now,
  };
  fakeDevices.state.devices.push(device);
  return HttpResponse.json<DeviceCreated>(
    {
      device,
      credentials:
        device.sipUsername === null
          ? null
          : {
              username: device.sipUsername,
              password: FAKE_DEVICE_PASSWORD,
              domain: FAKE_SIP_DOMAIN,
              server: FAKE_SIP_SERVER,
            },
    },
    { status: 201, headers: { 'Cache-Control': 'no-store' } },
  );
}

function findDevice(ownerId: number, deviceId: string): Device | undefined {
  return devicesOf(ownerId).find((device) => String(device.id) === deviceId);
}

async function rename(ownerId: string | number, deviceId: string, request: Request): Promise<Response> {
  const allowed = access(ownerId, canChangeDevice);
  if ('refused' in allowed) return allowed.refused;
  const device = findDevice(allowed.owner.id, deviceId);
  if (!device) return notFound(`Device ${deviceId} of user ${allowed.owner.id}`);
  const parsed = deviceUpdateSchema.safeParse(await request.json());
  if (!parsed.success) return validationFailed(parsed.error);
  Object.assign(device, { name: parsed.data.name, updatedAt: new Date().toISOString() });
  return HttpResponse.json<Device>(device);
}

function remove(ownerId: string | number, deviceId: string): Response {
  const allowed = access(ownerId, canChangeDevice);
  if ('refused' in allowed) return allowed.refused;
  const device = findDevice(allowed.owner.id, deviceId);
  if (!device) return notFound(`Device ${deviceId} of user ${allowed.owner.id}`);
  fakeDevices.state.devices = fakeDevices.state.devices.filter((candidate) => candidate !== device);
  return new HttpResponse(null, { status: 204 });
}

const myId = () => fakeSession.current()?.user.id ?? 0;

/** `/api/users/{id}/devices` and `/api/me/devices`, built from contracts/devices.ts. */
export const deviceHandlers = [
  http.get<UserParams>('/api/users/:id/devices', ({ params }) => list(params.id)),
  http.post<UserParams>('/api/users/:id/devices', ({ params, request }) => create(params.id, request)),
  http.patch<DeviceParams>('/api/users/:id/devices/:deviceId', ({ params, request }) =>
    rename(params.id, params.deviceId, request),
  ),
  http.delete<DeviceParams>('/api/users/:id/devices/:deviceId', ({ params }) =>
    remove(params.id, params.deviceId),
  ),
  http.get('/api/me/devices', () => list(myId())),
  http.post('/api/me/devices', ({ request }) => create(myId(), request)),
  http.patch<MyDeviceParams>('/api/me/devices/:deviceId', ({ params, request }) =>
    rename(myId(), params.deviceId, request),
  ),
  http.delete<MyDeviceParams>('/api/me/devices/:deviceId', ({ params }) => remove(myId(), params.deviceId)),
];
