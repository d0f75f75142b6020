import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Role } from '../../../contracts/roles';
import { userListSchema } from '../../../contracts/users';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** What the users list is narrowed to; absent keys are "any". */
export type UserFilters = { q?: string; role?: Role; profileId?: number; group?: string };

/** Rows fetched per request; the table asks for the pages it shows. */
export const USERS_PAGE_SIZE = 100;

function usersPath(filters: UserFilters, offset: number, limit: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.role) params.set('role', filters.role);
  if (filters.profileId !== undefined) params.set('profileId', String(filters.profileId));
  if (filters.group) params.set('group', filters.group);
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  return `/api/users?${params.toString()}`;
}

/** Users' query keys and functions: `['users']` covers them all, `['users', 'list']` every page. */
export const userQueries = {
  all: () => [queryRoots.users] as const,
  lists: () => [...userQueries.all(), 'list'] as const,
  page: (filters: UserFilters, pageIndex: number) =>
    queryOptions({
      queryKey: [...userQueries.lists(), filters, pageIndex] as const,
      queryFn: ({ signal }) =>
        apiClient.get(usersPath(filters, pageIndex * USERS_PAGE_SIZE, USERS_PAGE_SIZE), {
          schema: userListSchema,
          signal,
        }),
    }),
  /** The first page: it also tells the total; the last answer stays while a new filter loads. */
  firstPage: (filters: UserFilters) =>
    queryOptions({ ...userQueries.page(filters, 0), placeholderData: keepPreviousData }),
};
