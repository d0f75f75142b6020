import { queryOptions } from '@tanstack/react-query';
import { queueListSchema } from '../../../contracts/queues';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Queues' query keys and functions: `['queues']` covers them, and `queue` live events refresh it. */
export const queueQueries = {
  all: () => [queryRoots.queues] as const,
  list: () =>
    queryOptions({
      queryKey: [...queueQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/queues', { schema: queueListSchema, signal }),
      select: (list) => list.items,
    }),
};
