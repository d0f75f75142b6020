import { queryOptions, useMutation } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';
import { relayStatusSchema, seatListSchema } from '../../../contracts/sip';

/** Seats are registrations: `['registrations']` covers them (live `registration` events). */
export const seatQueries = {
  all: () => [queryRoots.registrations] as const,
  list: () =>
    queryOptions({
      queryKey: [...seatQueries.all(), 'seats'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/seats', { schema: seatListSchema, signal }),
      select: (list) => list.items,
    }),
  /** The TURN relay's state (polled: it has no live events). */
  relay: () =>
    queryOptions({
      queryKey: ['relay'] as const,
      queryFn: ({ signal }) => apiClient.get('/api/relay', { schema: relayStatusSchema, signal }),
      refetchInterval: 15_000,
    }),
};

/**
 * Drops a phone's registration: the person is signed out of the phone on that device. The
 * registration's live event refreshes the seats and the profiles' seat counts.
 */
export function useSignOutSeat() {
  return useMutation({
    mutationFn: (id: string) => apiClient.delete(`/api/seats/${encodeURIComponent(id)}`),
  });
}
