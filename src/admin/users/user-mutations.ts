import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  userSchema,
  userWithPasswordSchema,
  type UserCreate,
  type UserUpdate,
} from '../../../contracts/users';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';
import { userQueries } from './user-queries';

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: userQueries.all() }),
      // Profiles count their users; groups list their members.
      queryClient.invalidateQueries({ queryKey: [queryRoots.profiles] }),
      queryClient.invalidateQueries({ queryKey: [queryRoots.groups] }),
    ]);
}

/** Creates a user; the answer holds the password, shown once: nothing keeps it after the dialog. */
export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: UserCreate) =>
      apiClient.post('/api/users', { body: input, schema: userWithPasswordSchema }),
    gcTime: 0,
    onSettled: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: UserUpdate }) =>
      apiClient.patch(`/api/users/${id}`, { body: change, schema: userSchema }),
    onSettled: invalidate,
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: number) =>
      apiClient.post(`/api/users/${id}/password`, { schema: userWithPasswordSchema }),
    gcTime: 0,
    onSettled: invalidate,
  });
}

export function useDeleteUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/users/${id}`),
    onSettled: invalidate,
  });
}
