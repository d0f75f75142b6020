import { queryOptions } from '@tanstack/react-query';
import { profileDeletionImpactSchema, profileListSchema } from '../../../contracts/profiles';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** Profiles' query keys and functions, general to specific: `['profiles']` covers them all. */
export const profileQueries = {
  all: () => [queryRoots.profiles] as const,
  list: () =>
    queryOptions({
      queryKey: [...profileQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/profiles', { schema: profileListSchema, signal }),
      select: (list) => list.items,
    }),
  deletionImpact: (id: number) =>
    queryOptions({
      queryKey: [...profileQueries.all(), 'deletion-impact', id] as const,
      queryFn: ({ signal }) =>
        apiClient.get(`/api/profiles/${id}/deletion-impact`, { schema: profileDeletionImpactSchema, signal }),
      // Counts change with every call: ask each time the dialog opens.
      staleTime: 0,
    }),
};
