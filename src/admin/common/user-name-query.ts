import { queryOptions } from '@tanstack/react-query';
import { userSchema } from '../../../contracts/users';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/**
 * One user by id, for a screen that holds only the id (a queue's overflow user). Under
 * `['users']`, so a rename shows at once.
 */
export const userByIdQuery = (id: number) =>
  queryOptions({
    queryKey: [queryRoots.users, 'detail', id] as const,
    queryFn: ({ signal }) => apiClient.get(`/api/users/${id}`, { schema: userSchema, signal }),
    staleTime: 60_000,
  });
