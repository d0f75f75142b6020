import { agentStates } from '../../../contracts/agent-states';
import type {
  AgentReport,
  AgentReportRow,
  QueueReport,
  QueueReportRow,
} from '../../../contracts/queue-reports';
import { dayRange } from '../../contact-center/days';
import { agentReport, queueReport } from '../../contact-center/queue-figures';
import { agentStateChangesAround } from '../../store/agent-state-changes-repository';
import { queueCallsEntered } from '../../store/queue-calls-repository';
import { listQueues } from '../../store/queues-repository';
import type { Deps } from '../app-env';
import { csvLine } from '../calls/csv';

/** Every queue's day (queues without calls too; deleted queues that had calls by name). */
export async function buildQueueReport(deps: Deps, day?: string): Promise<QueueReport> {
  await deps.contactCenter.settled();
  const range = dayRange(day);
  const [queues, calls] = await Promise.all([
    listQueues(deps.db),
    queueCallsEntered(deps.db, range.from, range.to),
  ]);
  return { date: range.day, items: queueReport(calls, queues) };
}

/** Every agent who was signed in or took queue calls during the day. */
export async function buildAgentReport(deps: Deps, day?: string): Promise<AgentReport> {
  await deps.contactCenter.settled();
  const range = dayRange(day);
  const [changes, calls] = await Promise.all([
    agentStateChangesAround(deps.db, range.from, range.to),
    queueCallsEntered(deps.db, range.from, range.to),
  ]);
  return { date: range.day, items: agentReport({ ...range, now: new Date(), ...changes, calls }) };
}

export const QUEUE_CSV_HEADER = [
  'date',
  'queue',
  'offered',
  'answered',
  'abandoned',
  'overflowed',
  'service_level',
  'average_wait_seconds',
  'longest_wait_seconds',
  'average_handle_seconds',
];

export function queueReportCsv(report: QueueReport): string {
  const line = (r: QueueReportRow) =>
    csvLine([
      report.date,
      r.queue,
      r.offered,
      r.answered,
      r.abandoned,
      r.overflowed,
      r.serviceLevel,
      r.averageWaitSeconds,
      r.longestWaitSeconds,
      r.averageHandleSeconds,
    ]);
  return csvLine(QUEUE_CSV_HEADER) + report.items.map(line).join('');
}

export const AGENT_CSV_HEADER = [
  'date',
  'username',
  'offered',
  'answered',
  'missed',
  'average_handle_seconds',
  ...agentStates.map((state) => `${state}_seconds`),
];

export function agentReportCsv(report: AgentReport): string {
  const line = (r: AgentReportRow) =>
    csvLine([
      report.date,
      r.username,
      r.offered,
      r.answered,
      r.missed,
      r.averageHandleSeconds,
      ...agentStates.map((state) => r.secondsInState[state]),
    ]);
  return csvLine(AGENT_CSV_HEADER) + report.items.map(line).join('');
}
