import { queryOptions } from '@tanstack/react-query';
import { trunkListSchema } from '../../../contracts/trunks';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Trunks' query keys and functions: `['trunks']` covers them all, and `trunk` live events refresh it. */
export const trunkQueries = {
  all: () => [queryRoots.trunks] as const,
  /** The trunks with their live status, and whether trunk calls can have media. */
  list: () =>
    queryOptions({
      queryKey: [...trunkQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/trunks', { schema: trunkListSchema, signal }),
    }),
};
