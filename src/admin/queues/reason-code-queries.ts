import { queryOptions, useMutation } from '@tanstack/react-query';
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

export function useCreateReasonCode() {
  return useMutation({
    mutationFn: (input: ReasonCodeCreate) =>
      apiClient.post('/api/reason-codes', { body: input, schema: reasonCodeSchema }),
  });
}

export function useDeleteReasonCode() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/reason-codes/${id}`),
  });
}
