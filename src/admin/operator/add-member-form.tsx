import { useId } from 'react';
import type { BoardMember } from '../../../contracts/monitor';
import { useToaster } from '../../lib/toast-provider';
import { UserSearch } from '../common/user-search';
import { useChangeBoardMembership } from './board-mutations';

type AddMemberFormProps = {
  group: { id: number; name: string };
  members: readonly BoardMember[];
};

/** Finds a user by name and adds them to the barge group. */
export function AddMemberForm({ group, members }: AddMemberFormProps) {
  const membership = useChangeBoardMembership();
  const toaster = useToaster();
  const titleId = useId();
  return (
    <section className="add-member" aria-labelledby={titleId}>
      <h4 id={titleId} className="subheading">
        Add a member
      </h4>
      <UserSearch
        label={`Add a member to ${group.name}`}
        actionLabel="Add"
        chosenLabel="Member"
        isChosen={(user) => members.some((member) => member.userId === user.id)}
        onPick={(user) =>
          membership.mutate(
            { groupId: group.id, userId: user.id, kind: 'add' },
            {
              onSuccess: () => toaster.success(`${user.displayName} added to ${group.name}.`),
              onError: (error) =>
                toaster.failure(`Could not add ${user.displayName} to ${group.name}`, error),
            },
          )
        }
      />
    </section>
  );
}
