import type { MyAgentState } from '../../../contracts/agent-states';
import { findAnsweredVisit } from '../../store/queue-calls-repository';
import { findQueue } from '../../store/queues-repository';
import type { Deps } from '../app-env';

/**
 * The agent's own state, whether any queue offers them calls, and, while wrapping up a queue
 * call, that call's queue and choices.
 */
export async function myAgentState(deps: Deps, userId: number): Promise<MyAgentState> {
  const { agents, callLog, source } = deps.contactCenter;
  await source.settled();
  const state = { ...agents.stateOf(userId), inQueues: source.hasMember(userId) };
  if (state.state !== 'wrap_up' || !state.wrapUpCallId) return { ...state, wrapUp: null };
  await callLog.settled();
  const visit = await findAnsweredVisit(deps.db, state.wrapUpCallId, userId);
  const queue = visit?.queueId ? await findQueue(deps.db, visit.queueId) : undefined;
  return {
    ...state,
    wrapUp: {
      callId: state.wrapUpCallId,
      queueId: queue?.id ?? null,
      queue: queue?.name ?? visit?.queue ?? '',
      dispositions: queue?.dispositions ?? [],
      disposition: visit?.disposition ?? null,
      note: visit?.note ?? null,
    },
  };
}
