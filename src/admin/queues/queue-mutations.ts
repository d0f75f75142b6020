import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queueSchema, type QueueCreate, type QueueUpdate } from '../../../contracts/queues';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';
import { queueQueries } from '../common/queue-queries';

/** A queue change moves the wallboard too (a new queue, a new name). */
function useInvalidateQueues() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queueQueries.all() }),
      queryClient.invalidateQueries({ queryKey: [queryRoots.wallboard] }),
    ]);
}

export function useCreateQueue() {
  const invalidate = useInvalidateQueues();
  return useMutation({
    mutationFn: (input: QueueCreate) => apiClient.post('/api/queues', { body: input, schema: queueSchema }),
    onSettled: invalidate,
  });
}

/** Sends only what changed, so the audit log shows exactly what the person did. */
export function useUpdateQueue() {
  const invalidate = useInvalidateQueues();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: QueueUpdate }) =>
      apiClient.patch(`/api/queues/${id}`, { body: change, schema: queueSchema }),
    onSettled: invalidate,
  });
}

export function useDeleteQueue() {
  const invalidate = useInvalidateQueues();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/queues/${id}`),
    onSettled: invalidate,
  });
}
