import { useMutation } from '@tanstack/react-query';
import { trunkSchema, type TrunkCreate, type TrunkUpdate } from '../../../contracts/trunks';
import { apiClient } from '../../lib/api-client';
// The lists refresh through the live events the server publishes for each change
// (useLiveEvents), this client's as everyone's.

export function useCreateTrunk() {
  return useMutation({
    mutationFn: (input: TrunkCreate) => apiClient.post('/api/trunks', { body: input, schema: trunkSchema }),
  });
}

/** Sends only what changed; an omitted password keeps the stored one. */
export function useUpdateTrunk() {
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: TrunkUpdate }) =>
      apiClient.patch(`/api/trunks/${id}`, { body: change, schema: trunkSchema }),
  });
}

export function useDeleteTrunk() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/trunks/${id}`),
  });
}
