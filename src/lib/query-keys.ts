import type { EventEntity } from '../../contracts/events';

/**
 * The first element of every query key, one per resource. Keys go from general to specific:
 * `['profiles']` (every profile query), `['profiles', 'list']`, `['profiles', 'detail', 7]`.
 * Each feature keeps its keys and query functions together in a `queryOptions` factory built
 * on these roots, so invalidating a root refreshes everything the feature shows.
 */
export const queryRoots = {
  me: 'me',
  profiles: 'profiles',
  users: 'users',
  groups: 'groups',
  calls: 'calls',
  registrations: 'registrations',
  audit: 'audit',
  trunks: 'trunks',
  numbers: 'numbers',
  /** The operator panel's live board of the barge group. */
  monitor: 'monitor',
  queues: 'queues',
  reasonCodes: 'reasonCodes',
  /** Agent states: the agent's own, the list of agents, their history. */
  agents: 'agents',
  /** The contact center's live figures per queue. */
  wallboard: 'wallboard',
  /** The account's balance, each profile's credit. */
  credit: 'credit',
  rates: 'rates',
  /** A user's desk phones and external numbers, with where they are registered. */
  devices: 'devices',
} as const;
export type QueryRoot = (typeof queryRoots)[keyof typeof queryRoots];

/** Which query roots a live event about an entity makes stale. */
export const rootsForEntity: Record<EventEntity, readonly QueryRoot[]> = {
  // The operator board shows the barge group's members, their phones and their live calls,
  // and what the operator's profile allows: all of these change it.
  // Users, seats and credit show their profile's name, so a rename reaches those lists too.
  profile: [queryRoots.profiles, queryRoots.monitor, queryRoots.users, queryRoots.credit],
  user: [queryRoots.users, queryRoots.groups, queryRoots.monitor],
  group: [queryRoots.groups, queryRoots.users, queryRoots.monitor, queryRoots.agents],
  // A call waiting in, answered from or abandoned in a queue moves the wallboard's figures.
  call: [queryRoots.calls, queryRoots.monitor, queryRoots.wallboard],
  // Seats in use are counted on the profiles list; a device's page shows where it is registered;
  // signing a phone in or out moves its agent between Offline and Not ready (the wallboard's too).
  registration: [
    queryRoots.registrations,
    queryRoots.profiles,
    queryRoots.monitor,
    queryRoots.devices,
    queryRoots.agents,
    queryRoots.wallboard,
  ],
  audit: [queryRoots.audit],
  trunk: [queryRoots.trunks],
  number: [queryRoots.numbers],
  // A queue's members decide whether a phone shows its agent state; numbers show a queue's name.
  queue: [queryRoots.queues, queryRoots.wallboard, queryRoots.agents, queryRoots.numbers],
  reason_code: [queryRoots.reasonCodes],
  // The operator panel shows agent states beside the calls it lists.
  agent: [queryRoots.agents, queryRoots.wallboard, queryRoots.monitor],
  // A deleted profile's credit goes back to the account, its numbers to the pool.
  credit: [queryRoots.credit],
  rate: [queryRoots.rates],
  device: [queryRoots.devices],
};
