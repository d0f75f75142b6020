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
import { profileQueries } from '../common/profile-queries';

// The profiles and what shows their names (users, credit, the operator board) refresh through
// the live events the server publishes for each change (useLiveEvents), this client's as everyone's.

export function useCreateProfile() {
  return useMutation({
    mutationFn: (input: ProfileCreate) =>
      apiClient.post('/api/profiles', { body: input, schema: profileSchema }),
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
  });
}

/** Deletes a profile; its users, calls, credit and numbers refresh through the events the server publishes. */
export function useDeleteProfile() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/profiles/${id}`, { schema: profileDeletedSchema }),
  });
}
