import type { CallRecord } from '../../contracts/calls';
import type { PhoneNumber } from '../../contracts/numbers';
import type { Trunk, TrunkList } from '../../contracts/trunks';
import { demoCalls, demoUser } from './demo-data';

// Trunks and numbers as the API returns them, for the web tests: a German carrier the edge
// registers to (up), a PBX that authenticates us by address (down), and two numbers. Fake-only:
// the seed makes no trunks.

const at = '2026-11-23T09:00:00.000Z';

export const demoTrunks: Trunk[] = [
  {
    id: 1,
    name: 'carrier_de',
    host: 'sip.carrier.example',
    port: 5060,
    transport: 'udp',
    auth: { kind: 'register', username: 'switchboard', hasPassword: true },
    callerId: '+493012345600',
    numberFormat: { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' },
    prefixes: ['+49'],
    priority: 10,
    enabled: true,
    status: {
      state: 'up',
      roundTripMs: 23,
      checkedAt: '2026-11-23T09:00:30.000Z',
      lastError: null,
      registration: { state: 'registered', expiresAt: '2026-11-23T10:00:00.000Z' },
    },
    createdAt: at,
    updatedAt: at,
  },
  {
    id: 2,
    name: 'backup_pbx',
    host: '203.0.113.10',
    port: 5060,
    transport: 'tcp',
    auth: { kind: 'ip', addresses: ['203.0.113.10', '203.0.113.11'] },
    callerId: '+13125550100',
    numberFormat: { kind: 'e164' },
    prefixes: ['+'],
    priority: 100,
    enabled: true,
    status: {
      state: 'down',
      roundTripMs: null,
      checkedAt: '2026-11-23T09:00:30.000Z',
      lastError: 'No answer to OPTIONS within 5 s',
      registration: null,
    },
    createdAt: at,
    updatedAt: at,
  },
];

/** rtpengine is there: trunk calls can have media. */
export const demoTrunkMedia: TrunkList['media'] = { ready: true, problem: null };

export const demoNumbers: PhoneNumber[] = [
  {
    id: 1,
    number: '+493012345601',
    label: 'Sales line',
    profile: null,
    assignment: { kind: 'group', groupId: 1, name: 'floor_1' },
    createdAt: at,
    updatedAt: at,
  },
  {
    id: 2,
    number: '+493012345602',
    label: '',
    profile: null,
    assignment: null,
    createdAt: at,
    updatedAt: at,
  },
];

/** An agent's answered call to a customer over carrier_de, for the call history. */
const agent1 = demoUser('agent1');

export const demoOutboundCall: CallRecord = {
  // The demo's first call for whatever else a record holds.
  ...(demoCalls[0] as CallRecord),
  id: 50,
  callId: 'demo-trunk-call-1',
  from: agent1.extension,
  fromName: agent1.displayName,
  fromUserId: agent1.id,
  to: '+4915112345678',
  toName: null,
  toUserId: null,
  callerProfile: 'agents',
  calleeProfile: null,
  startedAt: '2026-11-23T11:00:00.000Z',
  answeredAt: '2026-11-23T11:00:06.000Z',
  endedAt: '2026-11-23T11:02:06.000Z',
  disposition: 'answered',
  reason: null,
  monitoring: [],
  direction: 'outbound',
  number: '+4915112345678',
  trunk: 'carrier_de',
};
