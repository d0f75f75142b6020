import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { callListSchema, type Disposition } from '../../../contracts/calls';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** What the call history is narrowed to; `from`/`to` are ISO instants, `to` exclusive. */
export type CallFilters = {
  userId?: number;
  profileId?: number;
  disposition?: Disposition;
  from?: string;
  to?: string;
};

export const CALLS_PAGE_SIZE = 50;

function filterParams(filters: CallFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.userId !== undefined) params.set('userId', String(filters.userId));
  if (filters.profileId !== undefined) params.set('profileId', String(filters.profileId));
  if (filters.disposition) params.set('disposition', filters.disposition);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  return params;
}

/** The CSV of every record matching the same filters (all pages). */
export function callExportUrl(filters: CallFilters): string {
  const query = filterParams(filters).toString();
  return `/api/calls/export.csv${query ? `?${query}` : ''}`;
}

/** Call records' query keys and functions: `['calls']` covers them all. */
export const callQueries = {
  all: () => [queryRoots.calls] as const,
  page: (filters: CallFilters, pageIndex: number) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'list', filters, pageIndex] as const,
      queryFn: ({ signal }) => {
        const params = filterParams(filters);
        params.set('offset', String(pageIndex * CALLS_PAGE_SIZE));
        params.set('limit', String(CALLS_PAGE_SIZE));
        return apiClient.get(`/api/calls?${params.toString()}`, { schema: callListSchema, signal });
      },
      placeholderData: keepPreviousData,
    }),
};
