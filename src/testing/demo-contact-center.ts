import type { AgentBoardEntry, MyAgentState, ReasonCode } from '../../contracts/agent-states';
import type { AgentReportRow, QueueReportRow } from '../../contracts/queue-reports';
import type { Queue, Wallboard } from '../../contracts/queues';
import { demoUser } from './demo-data';

// The contact center as the API returns it, for the web tests: two queues (sales overflows to
// support), three reasons for Not ready, the agents of floor_1 in different states, the
// wallboard's figures and a day's reports. All fake-only (the seed makes no queues); the people
// in them are the seed's, named through demoUser().

const at = '2026-11-23T09:00:00.000Z';

const agent1 = demoUser('agent1');
const agent2 = demoUser('agent2');

/** The day the demo reports are of. */
export const DEMO_REPORT_DAY = '2026-11-23';

export const demoQueues: Queue[] = [
  {
    id: 1,
    name: 'sales',
    extension: '2001',
    members: [
      { kind: 'user', userId: agent1.id, username: agent1.username, priority: 1 },
      { kind: 'group', groupId: 1, name: 'floor_1', priority: 2 },
    ],
    strategy: 'longest_idle',
    ringSeconds: 20,
    maxWaitSeconds: 300,
    overflow: { kind: 'queue', queueId: 2 },
    wrapUpSeconds: 30,
    serviceLevelSeconds: 20,
    dispositions: ['sale', 'callback', 'no_interest'],
    createdAt: at,
    updatedAt: at,
  },
  {
    id: 2,
    name: 'support',
    extension: '2002',
    members: [{ kind: 'user', userId: agent2.id, username: agent2.username, priority: 1 }],
    strategy: 'round_robin',
    ringSeconds: 15,
    maxWaitSeconds: 600,
    overflow: { kind: 'refuse', reason: 'Nobody can take your call now' },
    wrapUpSeconds: 60,
    serviceLevelSeconds: 30,
    dispositions: ['solved', 'escalated'],
    createdAt: at,
    updatedAt: at,
  },
];

export const demoReasonCodes: ReasonCode[] = [
  { id: 1, code: 'break', label: 'Break' },
  { id: 2, code: 'lunch', label: 'Lunch' },
  { id: 3, code: 'training', label: 'Training' },
];

/** An agent as the fake server keeps them: the board entry and, in wrap-up, the call's choices. */
export type DemoAgent = AgentBoardEntry & { wrapUp: MyAgentState['wrapUp'] };

function agent(
  username: string,
  state: Pick<AgentBoardEntry, 'state' | 'reason' | 'since'>,
  answeredToday: number,
): DemoAgent {
  const { id: userId, displayName, extension } = demoUser(username);
  return {
    userId,
    username,
    displayName,
    extension,
    ...state,
    wrapUpEndsAt: null,
    wrapUpCallId: null,
    answeredToday,
    wrapUp: null,
  };
}

/** floor_1: agent1 on a call, agent2 ringing, agent3 at lunch. */
export const demoAgents: DemoAgent[] = [
  agent('agent1', { state: 'on_call', reason: null, since: '2026-11-23T09:00:00.000Z' }, 7),
  agent('agent2', { state: 'ringing', reason: null, since: '2026-11-23T09:01:20.000Z' }, 4),
  agent('agent3', { state: 'not_ready', reason: 'Lunch', since: '2026-11-23T08:31:23.000Z' }, 2),
];

export const demoWallboard: Wallboard = {
  at: '2026-11-23T09:01:23.000Z',
  queues: [
    {
      queueId: 1,
      name: 'sales',
      waiting: 2,
      longestWaitSeconds: 95,
      answeredToday: 41,
      abandonedToday: 3,
      serviceLevel: 0.8734,
      averageHandleSeconds: 245,
      agents: { available: 0, notReady: 1, busy: 2, wrapUp: 0, offline: 0 },
    },
    {
      queueId: 2,
      name: 'support',
      waiting: 0,
      longestWaitSeconds: 0,
      answeredToday: 0,
      abandonedToday: 0,
      serviceLevel: null,
      averageHandleSeconds: null,
      agents: { available: 0, notReady: 0, busy: 1, wrapUp: 0, offline: 0 },
    },
  ],
};

export const demoQueueReport: QueueReportRow[] = [
  {
    queueId: 1,
    queue: 'sales',
    offered: 45,
    answered: 41,
    abandoned: 3,
    overflowed: 1,
    serviceLevel: 0.8734,
    averageWaitSeconds: 14,
    longestWaitSeconds: 95,
    averageHandleSeconds: 245,
  },
];

export const demoAgentReport: AgentReportRow[] = [
  {
    userId: agent1.id,
    username: agent1.username,
    offered: 8,
    answered: 7,
    missed: 1,
    averageHandleSeconds: 250,
    secondsInState: {
      available: 3600,
      not_ready: 900,
      ringing: 120,
      on_call: 1750,
      wrap_up: 210,
      offline: 0,
    },
  },
];
