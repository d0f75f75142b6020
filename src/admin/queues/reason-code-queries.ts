import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  reasonCodeListSchema,
  reasonCodeSchema,
  type ReasonCodeCreate,
} from '../../../contracts/agent-states';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Reason codes' key and query: `['reasonCodes']`, refreshed by `reason_code` live events. */
export const reasonCodeQueries = {
  all: () => [queryRoots.reasonCodes] as const,
  list: () =>
    queryOptions({
      queryKey: [...reasonCodeQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/reason-codes', { schema: reasonCodeListSchema, signal }),
      select: (list) => list.items,
    }),
};

function useInvalidateReasonCodes() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: reasonCodeQueries.all() });
}

export function useCreateReasonCode() {
  const invalidate = useInvalidateReasonCodes();
  return useMutation({
    mutationFn: (input: ReasonCodeCreate) =>
      apiClient.post('/api/reason-codes', { body: input, schema: reasonCodeSchema }),
    onSettled: invalidate,
  });
}

export function useDeleteReasonCode() {
  const invalidate = useInvalidateReasonCodes();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/reason-codes/${id}`),
    onSettled: invalidate,
  });
}
