import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { auditListSchema } from '../../../contracts/audit';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

export type AuditFilters = { actor?: string; entity?: string; action?: string };

export const AUDIT_PAGE_SIZE = 50;

/** The audit log's query keys and functions: `['audit']` covers them all. */
export const auditQueries = {
  all: () => [queryRoots.audit] as const,
  page: (filters: AuditFilters, pageIndex: number) =>
    queryOptions({
      queryKey: [...auditQueries.all(), 'list', filters, pageIndex] as const,
      queryFn: ({ signal }) => {
        const params = new URLSearchParams();
        if (filters.actor) params.set('actor', filters.actor);
        if (filters.entity) params.set('entity', filters.entity);
        if (filters.action) params.set('action', filters.action);
        params.set('offset', String(pageIndex * AUDIT_PAGE_SIZE));
        params.set('limit', String(AUDIT_PAGE_SIZE));
        return apiClient.get(`/api/audit?${params.toString()}`, { schema: auditListSchema, signal });
      },
      placeholderData: keepPreviousData,
    }),
};
