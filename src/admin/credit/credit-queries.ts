import { queryOptions } from '@tanstack/react-query';
import { creditAccountSchema } from '../../../contracts/credit';
import { rateListSchema } from '../../../contracts/rates';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

/** The account's credit (`credit` events refresh it) and the rate table (`rate` events). */
export const creditQueries = {
  account: () =>
    queryOptions({
      queryKey: [queryRoots.credit, 'account'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/credit', { schema: creditAccountSchema, signal }),
    }),
  rates: () =>
    queryOptions({
      queryKey: [queryRoots.rates, 'list'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/rates', { schema: rateListSchema, signal }),
    }),
};
