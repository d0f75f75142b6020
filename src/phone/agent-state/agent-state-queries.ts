import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  myAgentStateSchema,
  reasonCodeListSchema,
  type AgentStateChange,
  type MyAgentState,
} from '../../../contracts/agent-states';
import { queueCallSchema } from '../../../contracts/queue-reports';
import type { CallWrapUp } from '../../../contracts/queues';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/**
 * The agent's own state (`['agents', 'mine']`, refreshed by `agent` events) and the reasons
 * for Not ready they may pick (`['reasonCodes', …]`, refreshed by `reason_code` events).
 */
export const agentStateQueries = {
  mine: () =>
    queryOptions({
      queryKey: [queryRoots.agents, 'mine'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/me/state', { schema: myAgentStateSchema, signal }),
      retry: false,
    }),
  reasons: () =>
    queryOptions({
      queryKey: [queryRoots.reasonCodes, 'for-phone'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/reason-codes', { schema: reasonCodeListSchema, signal }),
      select: (list) => list.items,
      staleTime: 60_000,
    }),
};

/** One click: Available, Not ready with a reason, end or extend wrap-up. The answer is the new state. */
export function useChangeAgentState() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: AgentStateChange) =>
      apiClient.put('/api/me/state', { body: change, schema: myAgentStateSchema }),
    onSuccess: (state: MyAgentState) => queryClient.setQueryData(agentStateQueries.mine().queryKey, state),
  });
}

/** The disposition and note of the queue call being wrapped up. */
export function useSaveWrapUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, wrapUp }: { callId: string; wrapUp: CallWrapUp }) =>
      apiClient.put(`/api/calls/${encodeURIComponent(callId)}/wrap-up`, {
        body: wrapUp,
        schema: queueCallSchema,
      }),
    onSuccess: (saved) =>
      queryClient.setQueryData(agentStateQueries.mine().queryKey, (state) =>
        state?.wrapUp && state.wrapUp.callId === saved.callId
          ? { ...state, wrapUp: { ...state.wrapUp, disposition: saved.disposition, note: saved.note } }
          : state,
      ),
  });
}
