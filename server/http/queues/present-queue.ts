import type { Queue } from '../../../contracts/queues';
import type { QueueRow } from '../../store/queues-repository';

export const presentQueue = (q: QueueRow): Queue => ({
  id: q.id,
  name: q.name,
  extension: q.extension,
  members: q.members,
  strategy: q.strategy,
  ringSeconds: q.ringSeconds,
  maxWaitSeconds: q.maxWaitSeconds,
  overflow: q.overflow,
  wrapUpSeconds: q.wrapUpSeconds,
  serviceLevelSeconds: q.serviceLevelSeconds,
  dispositions: q.dispositions,
  createdAt: q.createdAt.toISOString(),
  updatedAt: q.updatedAt.toISOString(),
});

/** What the audit log keeps of a queue: its settings, members by name. */
export const auditView = (q: QueueRow) => ({
  name: q.name,
  extension: q.extension,
  members: q.members.map(
    (m) => (m.kind === 'user' ? `user:${m.username}` : `group:${m.name}`) + `@${m.priority}`,
  ),
  strategy: q.strategy,
  ringSeconds: q.ringSeconds,
  maxWaitSeconds: q.maxWaitSeconds,
  overflow: q.overflow,
  wrapUpSeconds: q.wrapUpSeconds,
  serviceLevelSeconds: q.serviceLevelSeconds,
  dispositions: q.dispositions,
});
