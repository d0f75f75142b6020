import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { agentStateHistorySchema } from '../../../contracts/agent-states';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** What the history is narrowed to: a day (`2026-12-06`) and, optionally, one agent. */
export type AgentHistoryFilters = { date: string; userId?: number };

export const AGENT_HISTORY_PAGE_SIZE = 50;

const params = ({ date, userId }: AgentHistoryFilters) => {
  const search = new URLSearchParams({ date });
  if (userId !== undefined) search.set('userId', String(userId));
  return search;
};

/** The CSV of every change of the day (and agent), every page. */
export const agentHistoryExportUrl = (filters: AgentHistoryFilters) =>
  `/api/agent-states/history/export.csv?${params(filters).toString()}`;

/**
 * Agent-state changes a page at a time (`GET /api/agent-states/history`). Under `['agents']`,
 * so the `agent` events that move the wallboard bring today's new changes in.
 */
export const agentHistoryQueries = {
  page: (filters: AgentHistoryFilters, pageIndex: number) =>
    queryOptions({
      queryKey: [queryRoots.agents, 'history', filters, pageIndex] as const,
      queryFn: ({ signal }) => {
        const search = params(filters);
        search.set('offset', String(pageIndex * AGENT_HISTORY_PAGE_SIZE));
        search.set('limit', String(AGENT_HISTORY_PAGE_SIZE));
        return apiClient.get(`/api/agent-states/history?${search.toString()}`, {
          schema: agentStateHistorySchema,
          signal,
        });
      },
      placeholderData: keepPreviousData,
    }),
};
