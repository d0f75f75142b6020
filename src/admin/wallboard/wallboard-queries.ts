import { queryOptions } from '@tanstack/react-query';
import { wallboardSchema } from '../../../contracts/queues';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** How often the wallboard asks again, besides the live events that refresh it at once. */
export const WALLBOARD_REFRESH_MS = 5_000;

/**
 * The queues' figures now: `['wallboard']`, which `call`, `queue` and `agent` events refresh;
 * asked again every 5 s too, since a caller's wait grows without any event.
 */
export const wallboardQueries = {
  all: () => [queryRoots.wallboard] as const,
  figures: () =>
    queryOptions({
      queryKey: [...wallboardQueries.all(), 'figures'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/queues/wallboard', { schema: wallboardSchema, signal }),
      refetchInterval: WALLBOARD_REFRESH_MS,
    }),
};
