import { queryOptions } from '@tanstack/react-query';
import { callListSchema } from '../../../contracts/calls';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** The signed-in person's own calls, newest first (the server applies call-list privacy). */
export const phoneCallQueries = {
  mine: (userId: number) =>
    queryOptions({
      queryKey: [queryRoots.calls, 'mine', userId] as const,
      queryFn: ({ signal }) =>
        apiClient.get(`/api/calls?userId=${userId}&limit=20`, { schema: callListSchema, signal }),
    }),
};
