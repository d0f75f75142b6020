import type { Device, DeviceList, DeviceRegistration } from '../../../contracts/devices';
import type { PhoneRegistration } from '../../sip/sip-control';
import type { DeviceRow } from '../../store/devices-repository';

function registration(r: PhoneRegistration): DeviceRegistration {
  return {
    transport: r.transport,
    remoteAddress: r.remoteAddress,
    userAgent: r.userAgent,
    since: r.since,
    expiresAt: r.expiresAt,
  };
}

/** A device as the API shows it: never its HA1s; a desk phone with its live registrations. */
export function presentDevice(row: DeviceRow, registrations: PhoneRegistration[]): Device {
  return {
    id: row.id,
    userId: row.userId,
    kind: row.kind === 'external_number' ? 'external_number' : 'sip_phone',
    name: row.name,
    sipUsername: row.sipUsername,
    number: row.number,
    registrations: registrations.filter((r) => r.deviceId === row.id).map(registration),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A user's devices; registrations made with the user's own credentials are the browser phone's. */
export function presentDeviceList(rows: DeviceRow[], registrations: PhoneRegistration[]): DeviceList {
  return {
    items: rows.map((row) => presentDevice(row, registrations)),
    browser: { registrations: registrations.filter((r) => r.deviceId === null).map(registration) },
  };
}
