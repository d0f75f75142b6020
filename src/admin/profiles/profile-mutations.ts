import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  profileDeletedSchema,
  profileSchema,
  type Profile,
  type ProfileCreate,
  type ProfileList,
  type ProfileUpdate,
} from '../../../contracts/profiles';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';
import { profileQueries } from '../common/profile-queries';

export function useCreateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProfileCreate) =>
      apiClient.post('/api/profiles', { body: input, schema: profileSchema }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: profileQueries.all() }),
  });
}

type UpdateVariables = { id: number; change: ProfileUpdate };

/**
 * Changes a profile. The list shows the change at once (flags toggle, rename) and goes back
 * to what it was if the server refuses; the caller tells the person why.
 */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  const listKey = profileQueries.list().queryKey;
  return useMutation({
    mutationFn: ({ id, change }: UpdateVariables) =>
      apiClient.patch(`/api/profiles/${id}`, { body: change, schema: profileSchema }),
    async onMutate({ id, change }) {
      await queryClient.cancelQueries({ queryKey: listKey });
      const before = queryClient.getQueryData<ProfileList>(listKey);
      if (before) {
        const patch = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
        queryClient.setQueryData<ProfileList>(listKey, {
          items: before.items.map((profile): Profile =>
            profile.id === id ? { ...profile, ...patch } : profile,
          ),
        });
      }
      return { before };
    },
    onError(_error, _variables, context) {
      if (context?.before) queryClient.setQueryData(listKey, context.before);
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: profileQueries.all() }),
        // A rename shows in the users' profile column.
        queryClient.invalidateQueries({ queryKey: [queryRoots.users] }),
      ]),
  });
}

export function useDeleteProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/profiles/${id}`, { schema: profileDeletedSchema }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: profileQueries.all() }),
        queryClient.invalidateQueries({ queryKey: [queryRoots.users] }),
        queryClient.invalidateQueries({ queryKey: [queryRoots.calls] }),
      ]),
  });
}
