import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { userListSchema } from '../../../contracts/users';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

const SEARCH_LIMIT = 8;

/**
 * The few users matching typed text, for pickers in any screen (group members, call history's
 * user filter, a number's assignment). Under `['users']`, so a user change refreshes it.
 */
export const userSearchQuery = (q: string) =>
  queryOptions({
    queryKey: [queryRoots.users, 'search', q] as const,
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ q, offset: '0', limit: String(SEARCH_LIMIT) });
      return apiClient.get(`/api/users?${params.toString()}`, { schema: userListSchema, signal });
    },
    enabled: q.trim() !== '',
    placeholderData: keepPreviousData,
  });
