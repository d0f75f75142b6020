import { queryOptions } from '@tanstack/react-query';
import { groupListSchema } from '../../../contracts/groups';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Groups' query keys and functions: `['groups']` covers them all. */
export const groupQueries = {
  all: () => [queryRoots.groups] as const,
  list: () =>
    queryOptions({
      queryKey: [...groupQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/groups', { schema: groupListSchema, signal }),
      select: (list) => list.items,
    }),
};
