import { useMutation, useQueryClient } from '@tanstack/react-query';
import { phoneNumberSchema, type NumberCreate, type NumberUpdate } from '../../../contracts/numbers';
import { apiClient } from '../../lib/api-client';
import { numberQueries } from './number-queries';

function useInvalidateNumbers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: numberQueries.all() });
}

export function useCreateNumber() {
  const invalidate = useInvalidateNumbers();
  return useMutation({
    mutationFn: (input: NumberCreate) =>
      apiClient.post('/api/numbers', { body: input, schema: phoneNumberSchema }),
    onSettled: invalidate,
  });
}

export function useUpdateNumber() {
  const invalidate = useInvalidateNumbers();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: NumberUpdate }) =>
      apiClient.patch(`/api/numbers/${id}`, { body: change, schema: phoneNumberSchema }),
    onSettled: invalidate,
  });
}

export function useDeleteNumber() {
  const invalidate = useInvalidateNumbers();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/numbers/${id}`),
    onSettled: invalidate,
  });
}
