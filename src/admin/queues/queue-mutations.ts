import { useMutation } from '@tanstack/react-query';
import { queueSchema, type QueueCreate, type QueueUpdate } from '../../../contracts/queues';
import { apiClient } from '../../lib/api-client';

// The queues and the wallboard (a new queue, a new name) refresh through the queue's live
// event (useLiveEvents), this client's change as everyone's.

export function useCreateQueue() {
  return useMutation({
    mutationFn: (input: QueueCreate) => apiClient.post('/api/queues', { body: input, schema: queueSchema }),
  });
}

/** Sends only what changed, so the audit log shows exactly what the person did. */
export function useUpdateQueue() {
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: QueueUpdate }) =>
      apiClient.patch(`/api/queues/${id}`, { body: change, schema: queueSchema }),
  });
}

export function useDeleteQueue() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/queues/${id}`),
  });
}
