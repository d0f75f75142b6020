import type { QueueCall } from '../../../contracts/queue-reports';
import type { QueueCallRow } from '../../store/queue-calls-repository';

const iso = (at: Date | null) => at?.toISOString() ?? null;

export const presentQueueCall = (row: QueueCallRow): QueueCall => ({
  id: row.id,
  callId: row.callId,
  queueId: row.queueId,
  queue: row.queue,
  caller: row.caller,
  callerName: row.callerName,
  enteredAt: row.enteredAt.toISOString(),
  outcome: row.outcome,
  waitSeconds: row.waitMs === null ? null : row.waitMs / 1000,
  offers: row.offers,
  agentId: row.agentId,
  agentUsername: row.agentUsername,
  answeredAt: iso(row.answeredAt),
  endedAt: iso(row.endedAt),
  overflowTo: row.overflowTo,
  disposition: row.disposition,
  note: row.note,
});
