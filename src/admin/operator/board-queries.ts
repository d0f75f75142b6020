import { queryOptions } from '@tanstack/react-query';
import { monitorBoardSchema } from '../../../contracts/monitor';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/**
 * The operator board's key and query: `['monitor']` covers it. Live `call`, `registration`,
 * `group`, `user` and `profile` events invalidate that root (rootsForEntity), so the board
 * follows calls as they ring, are answered and end.
 */
export const boardQueries = {
  all: () => [queryRoots.monitor] as const,
  board: () =>
    queryOptions({
      queryKey: [...boardQueries.all(), 'board'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/monitor/board', { schema: monitorBoardSchema, signal }),
    }),
};
