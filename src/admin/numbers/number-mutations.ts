import { useMutation } from '@tanstack/react-query';
import { phoneNumberSchema, type NumberCreate, type NumberUpdate } from '../../../contracts/numbers';
import { apiClient } from '../../lib/api-client';
// The lists refresh through the live events the server publishes for each change
// (useLiveEvents), this client's as everyone's.

export function useCreateNumber() {
  return useMutation({
    mutationFn: (input: NumberCreate) =>
      apiClient.post('/api/numbers', { body: input, schema: phoneNumberSchema }),
  });
}

export function useUpdateNumber() {
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: NumberUpdate }) =>
      apiClient.patch(`/api/numbers/${id}`, { body: change, schema: phoneNumberSchema }),
  });
}

export function useDeleteNumber() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/numbers/${id}`),
  });
}
