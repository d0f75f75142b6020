import type { Device, DeviceKind, DeviceRegistration } from '../../contracts/devices';
import { formatDateTime } from './format-time';

export const deviceKindLabels: Record<DeviceKind, string> = {
  sip_phone: 'Desk phone',
  external_number: 'External number',
};

const transportLabels: Record<string, string> = {
  udp: 'UDP',
  tcp: 'TCP',
  ws: 'WebSocket',
  wss: 'secure WebSocket',
};

/** "UDP from 192.0.2.7:5060 (Yealink T54W), since 6 Dec 2026, 11:05, until 6 Dec 2026, 12:05". */
export function describeRegistration(registration: DeviceRegistration): string {
  const transport = transportLabels[registration.transport] ?? registration.transport.toUpperCase();
  const agent = registration.userAgent ? ` (${registration.userAgent})` : '';
  return `${transport} from ${registration.remoteAddress}${agent}, since ${formatDateTime(registration.since)}, until ${formatDateTime(registration.expiresAt)}`;
}

/** What a device is reached by: a desk phone's SIP username, an external number. */
export function deviceAddress(device: Device): string {
  return device.kind === 'sip_phone' ? `SIP username ${device.sipUsername ?? '—'}` : (device.number ?? '—');
}

/** What removing a device does, said before it is done. */
export function removalConsequence(device: Device, owner: string): string {
  return device.kind === 'sip_phone'
    ? `The desk phone ${device.name} can no longer sign in with its username ${device.sipUsername ?? ''}; if it is registered now, it is signed out at once and stops ringing for ${owner}. Adding it again gives it new credentials.`
    : `Calls to ${owner} no longer ring ${device.number ?? 'this number'} (${device.name}).`;
}
