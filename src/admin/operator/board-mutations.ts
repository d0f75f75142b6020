import { useMutation } from '@tanstack/react-query';
import { groupSchema } from '../../../contracts/groups';
import { apiClient } from '../../lib/api-client';

export type BoardMembershipChange = { groupId: number; userId: number; kind: 'add' | 'remove' };

/**
 * Adds someone to the barge group or removes them, through the groups API (operators may
 * change only their own barge group; the server says so when not). The board, the groups
 * and the users (who show their groups) refresh through the group's and user's live events.
 */
export function useChangeBoardMembership() {
  return useMutation({
    mutationFn: ({ groupId, userId, kind }: BoardMembershipChange) => {
      const path = `/api/groups/${groupId}/members/${userId}`;
      return kind === 'add'
        ? apiClient.put(path, { schema: groupSchema })
        : apiClient.delete(path, { schema: groupSchema });
    },
  });
}
