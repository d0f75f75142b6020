import { useMutation, useQueryClient } from '@tanstack/react-query';
import { trunkSchema, type TrunkCreate, type TrunkUpdate } from '../../../contracts/trunks';
import { apiClient } from '../../lib/api-client';
import { trunkQueries } from './trunk-queries';

function useInvalidateTrunks() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trunkQueries.all() });
}

export function useCreateTrunk() {
  const invalidate = useInvalidateTrunks();
  return useMutation({
    mutationFn: (input: TrunkCreate) => apiClient.post('/api/trunks', { body: input, schema: trunkSchema }),
    onSettled: invalidate,
  });
}

/** Sends only what changed; an omitted password keeps the stored one. */
export function useUpdateTrunk() {
  const invalidate = useInvalidateTrunks();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: TrunkUpdate }) =>
      apiClient.patch(`/api/trunks/${id}`, { body: change, schema: trunkSchema }),
    onSettled: invalidate,
  });
}

export function useDeleteTrunk() {
  const invalidate = useInvalidateTrunks();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/trunks/${id}`),
    onSettled: invalidate,
  });
}
