import { useMutation, useQueryClient } from '@tanstack/react-query';
import { groupSchema, type Group, type GroupList, type GroupMember } from '../../../contracts/groups';
import { apiClient } from '../../lib/api-client';
import { groupQueries } from '../common/group-queries';

// The groups, the users (who show their groups) and the profiles (their barge group) refresh
// through the live events the server publishes for each change (useLiveEvents).

export function useCreateGroup() {
  return useMutation({
    mutationFn: (name: string) => apiClient.post('/api/groups', { body: { name }, schema: groupSchema }),
  });
}

export function useRenameGroup() {
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) =>
      apiClient.patch(`/api/groups/${id}`, { body: { name }, schema: groupSchema }),
  });
}

export function useDeleteGroup() {
  return useMutation({
    mutationFn: (id: number) => apiClient.delete(`/api/groups/${id}`),
  });
}

export type MembershipChange = { group: Group; member: GroupMember; kind: 'add' | 'remove' };

/**
 * Adds or removes a member. The list changes at once and goes back if the server refuses;
 * the caller tells the person why.
 */
export function useChangeMembership() {
  const queryClient = useQueryClient();
  const listKey = groupQueries.list().queryKey;
  return useMutation({
    mutationFn: ({ group, member, kind }: MembershipChange) => {
      const path = `/api/groups/${group.id}/members/${member.id}`;
      return kind === 'add'
        ? apiClient.put(path, { schema: groupSchema })
        : apiClient.delete(path, { schema: groupSchema });
    },
    async onMutate({ group, member, kind }) {
      await queryClient.cancelQueries({ queryKey: listKey });
      const before = queryClient.getQueryData<GroupList>(listKey);
      if (before) {
        queryClient.setQueryData<GroupList>(listKey, {
          items: before.items.map((candidate) => {
            if (candidate.id !== group.id) return candidate;
            const others = candidate.members.filter((existing) => existing.id !== member.id);
            const members =
              kind === 'add'
                ? [...others, member].sort((a, b) => a.username.localeCompare(b.username))
                : others;
            return { ...candidate, members };
          }),
        });
      }
      return { before };
    },
    onError(_error, _variables, context) {
      if (context?.before) queryClient.setQueryData(listKey, context.before);
    },
  });
}
