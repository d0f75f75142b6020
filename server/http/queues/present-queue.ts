import type { Queue } from '../../../contracts/queues';
import type { QueueRow } from '../../store/queues-repository';

/** A queue's settings, as the API shows them and the audit log keeps them (members apart). */
const settingsOf = (q: QueueRow) => ({
  name: q.name,
  extension: q.extension,
  strategy: q.strategy,
  ringSeconds: q.ringSeconds,
  maxWaitSeconds: q.maxWaitSeconds,
  overflow: q.overflow,
  wrapUpSeconds: q.wrapUpSeconds,
  serviceLevelSeconds: q.serviceLevelSeconds,
  dispositions: q.dispositions,
});

export const presentQueue = (q: QueueRow): Queue => ({
  id: q.id,
  ...settingsOf(q),
  members: q.members,
  createdAt: q.createdAt.toISOString(),
  updatedAt: q.updatedAt.toISOString(),
});

/** What the audit log keeps of a queue: its settings, members by name. */
export const auditView = (q: QueueRow) => ({
  ...settingsOf(q),
  members: q.members.map(
    (m) => (m.kind === 'user' ? `user:${m.username}` : `group:${m.name}`) + `@${m.priority}`,
  ),
});
