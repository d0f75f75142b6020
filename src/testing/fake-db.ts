import type { ReasonCode } from '../../contracts/agent-states';
import type { AuditEntry } from '../../contracts/audit';
import type { CallRecord } from '../../contracts/calls';
import type { Group } from '../../contracts/groups';
import type { PhoneNumber } from '../../contracts/numbers';
import type { Profile } from '../../contracts/profiles';
import type { User } from '../../contracts/users';
import type { Seat } from '../../contracts/sip';
import type { Trunk, TrunkList } from '../../contracts/trunks';
import type { AgentReportRow, QueueReportRow } from '../../contracts/queue-reports';
import type { Queue, Wallboard } from '../../contracts/queues';
import {
  demoAgentReport,
  demoAgents,
  demoQueueReport,
  demoQueues,
  demoReasonCodes,
  demoWallboard,
  type DemoAgent,
} from './demo-contact-center';
import {
  demoAudit,
  demoCalls,
  demoGroups,
  demoPhones,
  demoProfiles,
  demoSeats,
  demoUsers,
  type DemoPhone,
} from './demo-data';
import { demoNumbers, demoTrunkMedia, demoTrunks } from './demo-trunks';

/**
 * What the msw handlers serve and change: the demo call center, fresh for every test
 * (setup.ts resets it), so a create or a rename shows up in the next list like on the server.
 */
export type FakeDbState = {
  profiles: Profile[];
  users: User[];
  groups: Group[];
  calls: CallRecord[];
  audit: AuditEntry[];
  seats: Seat[];
  /** Registered phones and their live calls (the operator board). */
  phones: DemoPhone[];
  trunks: Trunk[];
  /** What `GET /api/trunks` says of rtpengine. */
  trunkMedia: TrunkList['media'];
  numbers: PhoneNumber[];
  queues: Queue[];
  reasonCodes: ReasonCode[];
  /** Agents' states (the board), with the wrap-up each is in. */
  agents: DemoAgent[];
  wallboard: Wallboard;
  /** The reports of DEMO_REPORT_DAY; other days have none. */
  queueReport: QueueReportRow[];
  agentReport: AgentReportRow[];
  nextId: number;
};

function fresh(): FakeDbState {
  return {
    profiles: structuredClone(demoProfiles),
    users: structuredClone(demoUsers),
    groups: structuredClone(demoGroups),
    calls: structuredClone(demoCalls),
    audit: structuredClone(demoAudit),
    seats: structuredClone(demoSeats),
    phones: structuredClone(demoPhones),
    trunks: structuredClone(demoTrunks),
    trunkMedia: structuredClone(demoTrunkMedia),
    numbers: structuredClone(demoNumbers),
    queues: structuredClone(demoQueues),
    reasonCodes: structuredClone(demoReasonCodes),
    agents: structuredClone(demoAgents),
    wallboard: structuredClone(demoWallboard),
    queueReport: structuredClone(demoQueueReport),
    agentReport: structuredClone(demoAgentReport),
    nextId: 100,
  };
}

let state: FakeDbState = fresh();

export const fakeDb = {
  get state(): FakeDbState {
    return state;
  },
  reset(): void {
    state = fresh();
  },
  newId(): number {
    state.nextId += 1;
    return state.nextId;
  },
};

/**
 * `count` extra agents on the `agents` profile (`user0001`…), for tables that must stay fast.
 * Fake-only and generated: the seed has none of them, so no test should expect them on a server.
 */
export function manyUsers(count: number, firstId = 1000): User[] {
  const at = '2026-11-23T09:00:00.000Z';
  return Array.from({ length: count }, (_, index) => {
    const n = String(index + 1).padStart(4, '0');
    return {
      id: firstId + index,
      username: `user${n}`,
      displayName: `User ${n}`,
      email: null,
      extension: String(20000 + index),
      location: null,
      role: 'agent',
      profileId: 1,
      profileName: 'agents',
      callListPrivacy: 'complete',
      groups: [],
      createdAt: at,
      updatedAt: at,
    };
  });
}
