import type { AuditEntry } from '../../contracts/audit';
import {
  demoAccounts as seedAccounts,
  demoGroupNames,
  demoProfiles as seedProfiles,
} from '../../contracts/demo-directory';
import type { CallRecord } from '../../contracts/calls';
import type { Group } from '../../contracts/groups';
import type { LiveCall } from '../../contracts/monitor';
import type { Profile } from '../../contracts/profiles';
import type { Role } from '../../contracts/roles';
import type { Me, User } from '../../contracts/users';
import type { Seat } from '../../contracts/sip';

// The demo call center the server creates on first start, as the API returns it. Profiles, users
// and groups come from the seed's own list; the calls, audit entries, seats and live calls are
// made up for the tests (the seed has none) and name the seeded people through demoUser().

const at = '2026-11-23T09:00:00.000Z';

/** Phones signed in per profile, as demoSeats below has them (fake-only: the seed has no seats). */
const seatsInUse: Record<string, number> = { agents: 1, operators: 1 };

/** The seed's profiles (contracts/demo-directory.ts) as the API returns them. */
export const demoProfiles: Profile[] = seedProfiles.map((profile, index) => ({
  id: index + 1,
  ...profile,
  flags: [...profile.flags],
  monitorNotice: false,
  recording: 'off',
  recordingRetentionDays: 90,
  recordingNotice: false,
  userCount: seedAccounts.filter((account) => account.profile === profile.name).length,
  seatsInUse: seatsInUse[profile.name] ?? 0,
  channelsInUse: 0,
  createdAt: at,
  updatedAt: at,
}));

/**
 * The seed's people (contracts/demo-directory.ts) as the API returns them on a fresh server:
 * ids in the order the seed creates them, no email or location (the seed sets none).
 */
export const demoUsers: User[] = seedAccounts.map((account, index) => {
  const profile = demoProfiles.find((candidate) => candidate.name === account.profile) ?? null;
  return {
    id: index + 1,
    username: account.username,
    displayName: account.displayName,
    email: null,
    extension: account.extension,
    location: null,
    role: account.role,
    profileId: profile?.id ?? null,
    profileName: profile?.name ?? null,
    callListPrivacy: 'complete',
    groups: account.group ? [account.group] : [],
    createdAt: at,
    updatedAt: at,
  };
});

/** The seeded user with this username; the fake-only data below names people through it. */
export function demoUser(username: string): User {
  const user = demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`The demo seed has no user named ${username}.`);
  return user;
}

const agent1 = demoUser('agent1');
const agent2 = demoUser('agent2');
const agent3 = demoUser('agent3');
const operator = demoUser('operator');
const supervisor = demoUser('supervisor');
const admin = demoUser('admin');

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
    from: agent1.extension,
    fromName: agent1.displayName,
    fromUserId: agent1.id,
    to: agent2.extension,
    toName: agent2.displayName,
    toUserId: agent2.id,
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
    from: agent2.extension,
    fromName: agent2.displayName,
    fromUserId: agent2.id,
    to: agent3.extension,
    toName: agent3.displayName,
    toUserId: agent3.id,
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

/** The one entry the seed itself writes (server/store/demo-seed.ts), first in the log. */
export const demoSeedAudit: AuditEntry = {
  id: 1,
  at: '2026-11-23T08:00:00.000Z',
  actorId: null,
  actorUsername: 'system',
  action: 'seed.demo',
  entity: 'system',
  entityId: null,
  before: null,
  after: {
    users: seedAccounts.map((account) => account.username),
    profiles: seedProfiles.map((profile) => profile.name),
  },
};

/** Newest first: two made-up changes (fake-only) after the seed's own entry. */
export const demoAudit: AuditEntry[] = [
  {
    id: 3,
    at: '2026-11-23T09:30:00.000Z',
    actorId: supervisor.id,
    actorUsername: supervisor.username,
    action: 'group.add_member',
    entity: 'group',
    entityId: '1',
    before: { name: 'floor_1', members: ['agent1', 'agent2'] },
    after: { name: 'floor_1', members: ['agent1', 'agent2', 'agent3'] },
  },
  {
    id: 2,
    at,
    actorId: admin.id,
    actorUsername: admin.username,
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
  demoSeedAudit,
];

/** The seeded user's profile, which a signed-in phone always has. */
function profileOf(user: User): Pick<Seat, 'profileId' | 'profileName'> {
  if (user.profileId === null || user.profileName === null)
    throw new Error(`${user.username} has no profile in the demo seed.`);
  return { profileId: user.profileId, profileName: user.profileName };
}

/** Phones signed in right now (`GET /api/seats`). */
export const demoSeats: Seat[] = [
  {
    id: 'reg-1',
    userId: agent1.id,
    username: agent1.username,
    displayName: agent1.displayName,
    extension: agent1.extension,
    ...profileOf(agent1),
    since: '2026-11-23T08:55:00.000Z',
    expiresAt: '2026-11-23T09:05:00.000Z',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    remoteAddress: '10.0.0.21',
  },
  {
    id: 'reg-2',
    userId: operator.id,
    username: operator.username,
    displayName: operator.displayName,
    extension: operator.extension,
    ...profileOf(operator),
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

/**
 * Live calls for the operator board (fake-only): agent1 answered (whispered to by the
 * supervisor), agent2 ringing, agent3 on a phone that cannot mix; the operator idle.
 */
export const demoPhones: DemoPhone[] = [
  {
    userId: agent1.id,
    canMix: true,
    calls: [
      {
        dialogId: 'dialog-agent1',
        direction: 'incoming',
        state: 'answered',
        peer: { name: 'Dana Customer', number: '1050' },
        since: '2026-11-23T09:00:00.000Z',
        monitors: [
          {
            byUserId: supervisor.id,
            byUsername: supervisor.username,
            byName: supervisor.displayName,
            mode: 'whisper',
            since: '2026-11-23T09:00:30.000Z',
          },
        ],
      },
    ],
  },
  {
    userId: agent2.id,
    canMix: true,
    calls: [
      {
        dialogId: 'dialog-agent2',
        direction: 'incoming',
        state: 'ringing',
        peer: { name: null, number: '1099' },
        since: '2026-11-23T09:01:20.000Z',
        monitors: [],
      },
    ],
  },
  {
    userId: agent3.id,
    canMix: false,
    calls: [
      {
        dialogId: 'dialog-agent3',
        direction: 'outgoing',
        state: 'answered',
        peer: { name: 'Reception', number: '1042' },
        since: '2026-11-23T08:58:00.000Z',
        monitors: [],
      },
    ],
  },
  { userId: operator.id, canMix: true, calls: [] },
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
  agent: agent1.username,
  operator: operator.username,
  supervisor: supervisor.username,
  admin: admin.username,
};
