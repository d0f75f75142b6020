import { queryOptions } from '@tanstack/react-query';
import { phoneNumberListSchema } from '../../../contracts/numbers';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Numbers' query keys and functions: `['numbers']` covers them all, and `number` live events refresh it. */
export const numberQueries = {
  all: () => [queryRoots.numbers] as const,
  list: () =>
    queryOptions({
      queryKey: [...numberQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/numbers', { schema: phoneNumberListSchema, signal }),
      select: (list) => list.items,
    }),
};
