import { queryOptions } from '@tanstack/react-query';
import { agentBoardListSchema } from '../../../contracts/agent-states';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/**
 * Every known agent's state (`GET /api/agent-states`, operators and up), for the wallboard and
 * the operator panel. Under `['agents']`, which `agent` live events refresh.
 */
export const agentBoardQueries = {
  all: () => [queryRoots.agents] as const,
  board: () =>
    queryOptions({
      queryKey: [...agentBoardQueries.all(), 'board'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/agent-states', { schema: agentBoardListSchema, signal }),
      select: (list) => list.items,
    }),
};
