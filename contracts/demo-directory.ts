import type { Flag } from './profiles';
import type { Role } from './roles';

/**
 * The demo call center the server seeds on first start (server/store/demo-seed.ts), without
 * passwords: one list that the seed writes and the web app's test fakes build their data from,
 * so a component test sees the profiles, groups and users a person trying the product sees.
 */

export type DemoProfile = {
  name: string;
  capacity: number;
  channelLimit: number;
  flags: Flag[];
  bargeGroup: string | null;
};

export type DemoUser = {
  username: string;
  displayName: string;
  role: Role;
  extension: string;
  profile: string;
  group?: string;
};

export const demoGroupNames = ['floor_1'] as const;

export const demoProfiles: DemoProfile[] = [
  { name: 'agents', capacity: 50, channelLimit: 50, flags: ['call', 'transfer'], bargeGroup: null },
  {
    name: 'operators',
    capacity: 10,
    channelLimit: 20,
    flags: ['call', 'transfer', 'listen', 'whisper', 'barge'],
    bargeGroup: 'floor_1',
  },
  { name: 'supervisors', capacity: 10, channelLimit: 10, flags: ['call', 'transfer'], bargeGroup: null },
];

export const demoUsers: DemoUser[] = [
  {
    username: 'agent1',
    displayName: 'Agent One',
    role: 'agent',
    extension: '1001',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'agent2',
    displayName: 'Agent Two',
    role: 'agent',
    extension: '1002',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'agent3',
    displayName: 'Agent Three',
    role: 'agent',
    extension: '1003',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'operator',
    displayName: 'Olivia Operator',
    role: 'operator',
    extension: '1004',
    profile: 'operators',
  },
  {
    username: 'supervisor',
    displayName: 'Sam Supervisor',
    role: 'supervisor',
    extension: '1005',
    profile: 'supervisors',
  },
];

/** The first admin, seeded with or without the demo; on the supervisors profile in the demo. */
export const demoAdmin: DemoUser = {
  username: 'admin',
  displayName: 'Administrator',
  role: 'admin',
  extension: '1006',
  profile: 'supervisors',
};

/**
 * Everyone the demo seed creates, in the order it creates them: on a fresh database the n-th
 * gets user id n, which the web app's fakes use too, so an id in a test names the same person.
 */
export const demoAccounts: DemoUser[] = [...demoUsers, demoAdmin];
