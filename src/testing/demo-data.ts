import type { AuditEntry } from '../../contracts/audit';
import { demoGroupNames, demoProfiles as seedProfiles } from '../../contracts/demo-directory';
import type { CallRecord } from '../../contracts/calls';
import type { Group } from '../../contracts/groups';
import type { LiveCall } from '../../contracts/monitor';
import type { Profile } from '../../contracts/profiles';
import type { Role } from '../../contracts/roles';
import type { Me, User } from '../../contracts/users';
import type { Seat } from '../../contracts/sip';

// The demo call center the server creates on first start, as the API returns it.

const at = '2026-11-23T09:00:00.000Z';

/** What the fake adds to the seed's profiles: ids in seed order, usage counters, recording defaults. */
const profileExtras: Record<string, Pick<Profile, 'userCount' | 'seatsInUse'>> = {
  agents: { userCount: 3, seatsInUse: 1 },
  operators: { userCount: 1, seatsInUse: 1 },
  supervisors: { userCount: 2, seatsInUse: 0 },
};

/** The seed's profiles (contracts/demo-directory.ts) as the API returns them. */
export const demoProfiles: Profile[] = seedProfiles.map((profile, index) => ({
  id: index + 1,
  ...profile,
  flags: [...profile.flags],
  monitorNotice: false,
  recording: 'off',
  recordingRetentionDays: 90,
  recordingNotice: false,
  userCount: 0,
  seatsInUse: 0,
  ...profileExtras[profile.name],
  channelsInUse: 0,
  createdAt: at,
  updatedAt: at,
}));

function demoUser(
  id: number,
  username: string,
  displayName: string,
  role: Role,
  profile: Profile,
  groups: string[] = [],
): User {
  return {
    id,
    username,
    displayName,
    email: `${username}@example.com`,
    extension: String(1000 + id),
    location: null,
    role,
    profileId: profile.id,
    profileName: profile.name,
    callListPrivacy: 'complete',
    groups,
    createdAt: at,
    updatedAt: at,
  };
}

const [agents, operators, supervisors] = demoProfiles as [Profile, Profile, Profile];

export const demoUsers: User[] = [
  demoUser(1, 'admin', 'Ada Admin', 'admin', supervisors),
  demoUser(2, 'supervisor', 'Sam Supervisor', 'supervisor', supervisors),
  demoUser(3, 'operator', 'Olivia Operator', 'operator', operators),
  demoUser(4, 'agent1', 'Alex Agent', 'agent', agents, ['floor_1']),
  demoUser(5, 'agent2', 'Bea Agent', 'agent', agents, ['floor_1']),
  demoUser(6, 'agent3', 'Cy Agent', 'agent', agents, ['floor_1']),
];

/** The seed's groups, with the members and barge profiles the seed gives them. */
export const demoGroups: Group[] = demoGroupNames.map((name, index) => ({
  id: index + 1,
  name,
  members: demoUsers
    .filter((user) => user.groups.includes(name))
    .map(({ id, username, displayName, extension }) => ({ id, username, displayName, extension })),
  bargeProfiles: demoProfiles.filter((profile) => profile.bargeGroup === name).map((profile) => profile.name),
  createdAt: at,
}));

export const demoCalls: CallRecord[] = [
  {
    id: 1,
    callId: 'demo-call-1',
    from: '1004',
    fromName: 'Alex Agent',
    fromUserId: 4,
    to: '1005',
    toName: 'Bea Agent',
    toUserId: 5,
    callerProfile: 'agents',
    calleeProfile: 'agents',
    startedAt: at,
    answeredAt: '2026-11-23T09:00:04.000Z',
    endedAt: '2026-11-23T09:03:10.000Z',
    disposition: 'answered',
    reason: null,
    monitoring: [],
    direction: 'internal',
    number: null,
    trunk: null,
    charge: null,
    recordings: [],
  },
  {
    id: 2,
    callId: 'demo-call-2',
    from: '1005',
    fromName: 'Bea Agent',
    fromUserId: 5,
    to: '1006',
    toName: 'Cy Agent',
    toUserId: 6,
    callerProfile: 'agents',
    calleeProfile: 'agents',
    startedAt: '2026-11-23T10:00:00.000Z',
    answeredAt: null,
    endedAt: '2026-11-23T10:00:30.000Z',
    disposition: 'missed',
    reason: null,
    monitoring: [],
    direction: 'internal',
    number: null,
    trunk: null,
    charge: null,
    recordings: [],
  },
];

export const demoAudit: AuditEntry[] = [
  {
    id: 2,
    at: '2026-11-23T09:30:00.000Z',
    actorId: 2,
    actorUsername: 'supervisor',
    action: 'group.add_member',
    entity: 'group',
    entityId: '1',
    before: { name: 'floor_1', members: ['agent1', 'agent2'] },
    after: { name: 'floor_1', members: ['agent1', 'agent2', 'agent3'] },
  },
  {
    id: 1,
    at,
    actorId: 1,
    actorUsername: 'admin',
    action: 'profile.update',
    entity: 'profile',
    entityId: '1',
    before: {
      name: 'agents',
      capacity: 40,
      channelLimit: 50,
      flags: ['call'],
      bargeGroup: null,
      monitorNotice: false,
    },
    after: {
      name: 'agents',
      capacity: 50,
      channelLimit: 50,
      flags: ['call', 'transfer'],
      bargeGroup: null,
      monitorNotice: false,
    },
  },
];

/** Phones signed in right now (`GET /api/seats`). */
export const demoSeats: Seat[] = [
  {
    id: 'reg-1',
    userId: 4,
    username: 'agent1',
    displayName: 'Alex Agent',
    extension: '1004',
    profileId: 1,
    profileName: 'agents',
    since: '2026-11-23T08:55:00.000Z',
    expiresAt: '2026-11-23T09:05:00.000Z',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    remoteAddress: '10.0.0.21',
  },
  {
    id: 'reg-2',
    userId: 3,
    username: 'operator',
    displayName: 'Olivia Operator',
    extension: '1003',
    profileId: 2,
    profileName: 'operators',
    since: '2026-11-23T08:40:00.000Z',
    expiresAt: '2026-11-23T09:05:00.000Z',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    remoteAddress: '10.0.0.35',
  },
];

/**
 * A registered phone and the calls on it, as the SIP edge tracks them. Users without one are
 * offline. `checks` are worked out by the monitor handler from the operator's profile.
 */
export type DemoPhone = {
  userId: number;
  /** Says in its REGISTER that it can mix a monitor session. */
  canMix: boolean;
  calls: Omit<LiveCall, 'checks'>[];
};

/** Live calls for the operator board: Alex answered (monitored), Bea ringing, Cy on a phone that cannot mix. */
export const demoPhones: DemoPhone[] = [
  {
    userId: 4,
    canMix: true,
    calls: [
      {
        dialogId: 'dialog-alex',
        direction: 'incoming',
        state: 'answered',
        peer: { name: 'Dana Customer', number: '1050' },
        since: '2026-11-23T09:00:00.000Z',
        monitors: [
          {
            byUserId: 2,
            byUsername: 'supervisor',
            byName: 'Sam Supervisor',
            mode: 'whisper',
            since: '2026-11-23T09:00:30.000Z',
          },
        ],
      },
    ],
  },
  {
    userId: 5,
    canMix: true,
    calls: [
      {
        dialogId: 'dialog-bea',
        direction: 'incoming',
        state: 'ringing',
        peer: { name: null, number: '1099' },
        since: '2026-11-23T09:01:20.000Z',
        monitors: [],
      },
    ],
  },
  {
    userId: 6,
    canMix: false,
    calls: [
      {
        dialogId: 'dialog-cy',
        direction: 'outgoing',
        state: 'answered',
        peer: { name: 'Reception', number: '1042' },
        since: '2026-11-23T08:58:00.000Z',
        monitors: [],
      },
    ],
  },
  { userId: 3, canMix: true, calls: [] },
];

/** What `GET /api/me` answers for a demo user. */
export function demoMe(username: string): Me {
  const user = demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No demo user named ${username}.`);
  const profile = demoProfiles.find((candidate) => candidate.id === user.profileId);
  return {
    user,
    profile: profile
      ? {
          id: profile.id,
          name: profile.name,
          flags: profile.flags,
          bargeGroup: profile.bargeGroup,
          monitorNotice: profile.monitorNotice,
          recording: profile.recording,
          recordingNotice: profile.recordingNotice,
          recordingRetentionDays: profile.recordingRetentionDays,
        }
      : null,
  };
}

/** The demo user of each role. */
export const demoUsernameFor: Record<Role, string> = {
  agent: 'agent1',
  operator: 'operator',
  supervisor: 'supervisor',
  admin: 'admin',
};
