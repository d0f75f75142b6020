import { useMutation } from '@tanstack/react-query';
import {
  userSchema,
  userWithPasswordSchema,
  type UserCreate,
  type UserUpdate,
} from '../../../contracts/users';
import { apiClient } from '../../lib/api-client';

// The lists (users, their profiles' counts, groups' members) refresh through the live events
// the server publishes for each change (useLiveEvents), this client's as everyone's.

/** Creates a user; the answer holds the password, shown once: nothing keeps it after the dialog. */
export function useCreateUser() {
  return useMutation({
    mutationFn: (input: UserCreate) =>
      apiClient.post('/api/users', { body: input, schema: userWithPasswordSchema }),
    gcTime: 0,
  });
}

export function useUpdateUser() {
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: UserUpdate }) =>
      apiClient.patch(`/api/users/${id}`, { body: change, schema: userSchema }),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (id: number) =>
      apiClient.post(`/api/users/${id}/password`, { schema: userWithPasswordSchema }),
    gcTime: 0,
  });
}

export function useDeleteUser() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/users/${id}`),
  });
}
