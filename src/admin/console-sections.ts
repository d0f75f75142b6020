import { roleAtLeast } from '../../contracts/roles';
import type { Role } from '../../contracts/roles';

export type ConsoleSectionId =
  | 'operator'
  | 'groups'
  | 'profiles'
  | 'wallboard'
  | 'queues'
  | 'reports'
  | 'agent-history'
  | 'seats'
  | 'users'
  | 'trunks'
  | 'numbers'
  | 'credit'
  | 'calls'
  | 'audit'
  | 'my-calls';

export type ConsoleSection = {
  id: ConsoleSectionId;
  title: string;
  description: string;
  /** Set when the role may look but not change: says who may. */
  readOnlyNote: string | null;
};

type SectionDefinition = {
  id: ConsoleSectionId;
  title: string;
  minimumRole: Role;
  describe: (role: Role, context: SectionContext) => Omit<ConsoleSection, 'id' | 'title'>;
};

export type SectionContext = {
  /** The group the user's profile may monitor, if any. */
  bargeGroup: string | null;
};

const definitions: readonly SectionDefinition[] = [
  {
    id: 'operator',
    title: 'Operator panel',
    minimumRole: 'operator',
    describe: (_role, { bargeGroup }) => ({
      description: bargeGroup
        ? `Live calls of ${bargeGroup}. Listen, whisper or barge in, as your profile allows.`
        : 'Live calls of your barge group. Your profile has no barge group yet, so there are no calls to monitor.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'groups',
    title: 'Groups',
    minimumRole: 'operator',
    describe: (role, { bargeGroup }) =>
      roleAtLeast(role, 'supervisor')
        ? {
            description: 'Create, rename and delete groups, and choose their members.',
            readOnlyNote: null,
          }
        : {
            description: `Every group and its members. You may add or remove members of ${bargeGroup ?? 'your barge group'}.`,
            readOnlyNote: 'Other groups are changed by supervisors and admins.',
          },
  },
  {
    id: 'profiles',
    title: 'Profiles',
    minimumRole: 'supervisor',
    describe: (role) =>
      role === 'admin'
        ? {
            description:
              'SIP profiles: create, rename and delete them, and set capacity, channel limit, features and barge group.',
            readOnlyNote: null,
          }
        : {
            description:
              'SIP profiles: create and rename them, and set capacity, channel limit, features and barge group.',
            readOnlyNote:
              'Deleting profiles is for admins, and the profile you are on is changed by someone else.',
          },
  },
  {
    id: 'wallboard',
    title: 'Wallboard',
    minimumRole: 'operator',
    describe: () => ({
      description:
        'Each queue live: callers waiting, longest wait, answered and abandoned today, service level, handle time and agents by state.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'queues',
    title: 'Queues',
    minimumRole: 'supervisor',
    describe: () => ({
      description:
        'Queues that hand calls to available agents: members, strategy, waiting limits, wrap-up and dispositions; and the reasons agents give for Not ready.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'reports',
    title: 'Queue reports',
    minimumRole: 'supervisor',
    describe: () => ({
      description: 'Each queue’s and each agent’s figures for a day, exportable as CSV.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'agent-history',
    title: 'Agent-state history',
    minimumRole: 'operator',
    describe: (role, { bargeGroup }) => ({
      description: roleAtLeast(role, 'supervisor')
        ? 'Each agent’s state changes over a day: from, to, when, why and for how long, exportable as CSV.'
        : `The state changes of ${bargeGroup ?? 'your barge group'} over a day: from, to, when, why and for how long, exportable as CSV.`,
      readOnlyNote: null,
    }),
  },
  {
    id: 'seats',
    title: 'Seats',
    minimumRole: 'supervisor',
    describe: () => ({
      description: 'Who is signed in to the phone on each profile, with the seats left; sign a seat out.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'users',
    title: 'Users',
    minimumRole: 'supervisor',
    describe: (role) =>
      role === 'admin'
        ? {
            description:
              'Everyone with a login: add users, change their role, profile and extension, reset passwords and remove users.',
            readOnlyNote: null,
          }
        : {
            description: 'Everyone with a login: extension, role, profile and groups.',
            readOnlyNote: 'Read only: adding users, changing roles and resetting passwords is for admins.',
          },
  },
  {
    id: 'trunks',
    title: 'Trunks',
    minimumRole: 'admin',
    describe: () => ({
      description:
        'SIP trunks to carriers or a PBX: where calls to customers’ numbers go, how the carrier knows us, and whether each answers now.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'numbers',
    title: 'Numbers',
    minimumRole: 'admin',
    describe: () => ({
      description: 'The phone numbers carriers send calls to, and the user or group each one rings.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'credit',
    title: 'Credit',
    minimumRole: 'supervisor',
    describe: (role) =>
      role === 'admin'
        ? {
            description:
              'The account’s balance, each profile’s credit for calls to customers’ numbers, and the rates that price them.',
            readOnlyNote: null,
          }
        : {
            description:
              'The account’s balance, each profile’s credit for calls to customers’ numbers, and the rates that price them.',
            readOnlyNote: 'Paying into the account and importing rates is for admins.',
          },
  },
  {
    id: 'calls',
    title: 'Call history',
    minimumRole: 'supervisor',
    describe: () => ({
      description:
        'Every call in the call center with its outcome and any monitoring, by profile or user, exportable as CSV.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'audit',
    title: 'Audit log',
    minimumRole: 'supervisor',
    describe: () => ({
      description: 'Every change made in the console: who made it, when, and what it was before and after.',
      readOnlyNote: null,
    }),
  },
  {
    id: 'my-calls',
    title: 'My call history',
    minimumRole: 'agent',
    describe: () => ({
      description: 'Calls you made and took, with their outcome.',
      readOnlyNote: null,
    }),
  },
];

/** The console sections a role sees, in navigation order. */
export function sectionsForRole(role: Role, context: SectionContext): ConsoleSection[] {
  return definitions
    .filter((definition) => roleAtLeast(role, definition.minimumRole))
    .map((definition) => ({
      id: definition.id,
      title: definition.title,
      ...definition.describe(role, context),
    }));
}
