import { MISSED_QUEUE_CALL_REASON, agentStates, type AgentStateName } from '../../contracts/agent-states';
import type { AgentReportRow, QueueReportRow } from '../../contracts/queue-reports';
import type { AgentStateChangeRow } from '../store/agent-state-changes-repository';
import type { QueueCallRow } from '../store/queue-calls-repository';

const average = (values: number[]): number | null =>
  values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;

/** Seconds from the answer to the end of the agent's wrap-up (or of the call, while wrapping up). */
export function handleSeconds(row: QueueCallRow): number | null {
  const end = row.wrapUpEndedAt ?? row.endedAt;
  if (!row.answeredAt || !end) return null;
  return Math.max(0, (end.getTime() - row.answeredAt.getTime()) / 1000);
}

/**
 * A queue's figures over its visits: service level is the share of answered calls whose wait
 * was within the threshold; average wait is over every call that stopped waiting.
 */
export function queueFigures(
  rows: QueueCallRow[],
  serviceLevelSeconds: number | null,
): Omit<QueueReportRow, 'queueId' | 'queue'> {
  const answered = rows.filter((r) => r.outcome === 'answered');
  const waits = rows
    .filter((r) => r.outcome !== 'waiting' && r.waitMs !== null)
    .map((r) => (r.waitMs ?? 0) / 1000);
  const within =
    serviceLevelSeconds === null
      ? 0
      : answered.filter((r) => (r.waitMs ?? 0) <= serviceLevelSeconds * 1000).length;
  const handles = answered.map(handleSeconds).filter((s): s is number => s !== null);
  return {
    offered: rows.length,
    answered: answered.length,
    abandoned: rows.filter((r) => r.outcome === 'abandoned').length,
    overflowed: rows.filter((r) => r.outcome === 'overflowed').length,
    serviceLevel:
      answered.length && serviceLevelSeconds !== null
        ? Math.round((within / answered.length) * 1000) / 1000
        : null,
    averageWaitSeconds: average(waits),
    longestWaitSeconds: waits.length ? Math.max(...waits) : null,
    averageHandleSeconds: average(handles),
  };
}

/** One row per queue that had calls in the day (a deleted queue keeps its name). */
export function queueReport(
  rows: QueueCallRow[],
  queues: { id: number; name: string; serviceLevelSeconds: number }[],
): QueueReportRow[] {
  const byKey = new Map<string, QueueCallRow[]>();
  for (const queue of queues) byKey.set(`id:${queue.id}`, []);
  for (const row of rows) {
    const key = row.queueId !== null ? `id:${row.queueId}` : `name:${row.queue}`;
    const list = byKey.get(key) ?? [];
    list.push(row);
    byKey.set(key, list);
  }
  const result: QueueReportRow[] = [];
  for (const [key, list] of byKey) {
    const queueId = key.startsWith('id:') ? Number(key.slice(3)) : null;
    const queue = queues.find((q) => q.id === queueId);
    result.push({
      queueId,
      queue: queue?.name ?? list[0]?.queue ?? '',
      ...queueFigures(list, queue?.serviceLevelSeconds ?? null),
    });
  }
  return result.sort((a, b) => a.queue.localeCompare(b.queue));
}

/**
 * One row per agent active in the window: queue calls rung, answered and missed (from the
 * state changes), average handle (from the calls they answered) and seconds in each state,
 * counted from each agent's state at the window's start up to its end or now.
 */
export function agentReport(input: {
  from: Date;
  to: Date;
  now: Date;
  before: AgentStateChangeRow[];
  during: AgentStateChangeRow[];
  calls: QueueCallRow[];
}): AgentReportRow[] {
  const end = Math.min(input.to.getTime(), input.now.getTime());
  type Acc = {
    userId: number | null;
    username: string;
    state: AgentStateName;
    at: number;
    row: AgentReportRow;
  };
  const agents = new Map<string, Acc>();
  const keyOf = (c: { userId: number | null; username: string }) =>
    c.userId !== null ? `id:${c.userId}` : `name:${c.username}`;
  const accOf = (c: { userId: number | null; username: string }, state: AgentStateName): Acc => {
    const key = keyOf(c);
    let acc = agents.get(key);
    if (!acc) {
      const secondsInState = Object.fromEntries(agentStates.map((s) => [s, 0])) as Record<
        AgentStateName,
        number
      >;
      acc = {
        userId: c.userId,
        username: c.username,
        state,
        at: input.from.getTime(),
        row: {
          userId: c.userId,
          username: c.username,
          offered: 0,
          answered: 0,
          missed: 0,
          averageHandleSeconds: null,
          secondsInState,
        },
      };
      agents.set(key, acc);
    }
    return acc;
  };
  const close = (acc: Acc, until: number) => {
    const ms = Math.max(0, Math.min(until, end) - acc.at);
    acc.row.secondsInState[acc.state] += ms / 1000;
    acc.at = Math.min(until, end);
  };
  for (const change of input.before) if (change.to !== 'offline') accOf(change, change.to);
  for (const change of input.during) {
    const acc = accOf(change, change.from);
    close(acc, change.at.getTime());
    acc.state = change.to;
    if (change.to === 'ringing') acc.row.offered++;
    if (change.from === 'ringing' && change.to === 'on_call') acc.row.answered++;
    if (change.from === 'ringing' && change.reason === MISSED_QUEUE_CALL_REASON) acc.row.missed++;
  }
  for (const acc of agents.values()) {
    close(acc, end);
    for (const state of agentStates)
      acc.row.secondsInState[state] = Math.round(acc.row.secondsInState[state]);
    const handles = input.calls
      .filter((c) => c.outcome === 'answered' && c.agentId !== null && c.agentId === acc.userId)
      .map(handleSeconds)
      .filter((s): s is number => s !== null);
    acc.row.averageHandleSeconds = average(handles);
  }
  return [...agents.values()].map((a) => a.row).sort((a, b) => a.username.localeCompare(b.username));
}
