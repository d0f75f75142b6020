import type { Device, DeviceRegistration } from '../../contracts/devices';
import { demoUser } from './demo-data';

/**
 * Users' devices as the msw handlers keep them, by owner id, and the browser phone's tabs per
 * user. agent1 has a desk phone registered over UDP and a mobile (fake-only: the seed makes no
 * devices); reset before each test (setup.ts).
 */
export type FakeDevicesState = {
  devices: Device[];
  browserTabs: Map<number, DeviceRegistration[]>;
};

const at = '2026-11-23T09:00:00.000Z';

/** The user the demo devices belong to (agent1). */
export const DEMO_DEVICE_OWNER_ID = demoUser('agent1').id;

export const demoDevices: Device[] = [
  {
    id: 1,
    userId: DEMO_DEVICE_OWNER_ID,
    kind: 'sip_phone',
    name: 'Desk phone, room 2.14',
    sipUsername: 'agent1-x7k2qp',
    number: null,
    registrations: [
      {
        transport: 'udp',
        remoteAddress: '192.0.2.17:5060',
        userAgent: 'Yealink SIP-T54W',
        since: '2026-11-23T08:00:00.000Z',
        expiresAt: '2026-11-23T09:00:00.000Z',
      },
    ],
    createdAt: at,
    updatedAt: at,
  },
  {
    id: 2,
    userId: DEMO_DEVICE_OWNER_ID,
    kind: 'external_number',
    name: 'Mobile',
    sipUsername: null,
    number: '+491701234567',
    registrations: [],
    createdAt: at,
    updatedAt: at,
  },
];

function fresh(): FakeDevicesState {
  return {
    devices: structuredClone(demoDevices),
    browserTabs: new Map([
      [
        DEMO_DEVICE_OWNER_ID,
        [
          {
            transport: 'wss',
            remoteAddress: '198.51.100.4:52110',
            userAgent: 'Switchboard (Chromium)',
            since: '2026-11-23T07:55:00.000Z',
            expiresAt: '2026-11-23T08:55:00.000Z',
          },
        ],
      ],
    ]),
  };
}

let state = fresh();

export const fakeDevices = {
  get state(): FakeDevicesState {
    return state;
  },
  reset(): void {
    state = fresh();
  },
};
