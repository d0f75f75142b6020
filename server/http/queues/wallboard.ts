import type { AgentStateName } from '../../../contracts/agent-states';
import type { QueueFigures, Wallboard } from '../../../contracts/queues';
import { dayRange } from '../../contact-center/days';
import { queueFigures } from '../../contact-center/queue-figures';
import { queueCallsEntered } from '../../store/queue-calls-repository';
import { listQueues, queueAgents } from '../../store/queues-repository';
import type { Deps } from '../app-env';

const bucket: Record<AgentStateName, keyof QueueFigures['agents']> = {
  available: 'available',
  not_ready: 'notReady',
  ringing: 'busy',
  on_call: 'busy',
  wrap_up: 'wrapUp',
  offline: 'offline',
};

/**
 * The wallboard now: callers waiting from the queue engine, today's calls from the store
 * (visits that came in since midnight), and each queue's agents (members and members of its
 * groups) counted by state.
 */
export async function buildWallboard(deps: Deps): Promise<Wallboard> {
  const { db, contactCenter } = deps;
  await contactCenter.callLog.settled();
  const today = dayRange();
  const [queues, agents, calls] = await Promise.all([
    listQueues(db),
    queueAgents(db),
    queueCallsEntered(db, today.from, today.to),
  ]);
  return {
    at: new Date().toISOString(),
    queues: queues.map((queue) => {
      const figures = queueFigures(
        calls.filter((call) => call.queueId === queue.id),
        queue.serviceLevelSeconds,
      );
      const waiting = contactCenter.live.waiting(queue.id);
      const counts = { available: 0, notReady: 0, busy: 0, wrapUp: 0, offline: 0 };
      for (const userId of agents.get(queue.id) ?? [])
        counts[bucket[contactCenter.agents.stateOf(userId).state]]++;
      return {
        queueId: queue.id,
        name: queue.name,
        waiting: waiting.count,
        longestWaitSeconds: Math.round(waiting.longestWaitSeconds),
        answeredToday: figures.answered,
        abandonedToday: figures.abandoned,
        serviceLevel: figures.serviceLevel,
        averageHandleSeconds: figures.averageHandleSeconds,
        agents: counts,
      };
    }),
  };
}
