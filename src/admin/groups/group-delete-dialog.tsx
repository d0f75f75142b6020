import type { Group } from '../../../contracts/groups';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteGroup } from './group-mutations';

export function GroupDeleteDialog({ group, onClose }: { group: Group; onClose: () => void }) {
  const remove = useDeleteGroup();
  const toaster = useToaster();
  const members = group.members.length;
  return (
    <ConfirmDialog
      title={`Delete group ${group.name}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(group.id, {
          onSuccess() {
            toaster.success(`Group ${group.name} deleted.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not delete ${group.name}`, error),
        })
      }
    >
      <p>
        {members === 0
          ? 'It has no members.'
          : `Its ${members} ${members === 1 ? 'member stays a user' : 'members stay users'}, only the group goes.`}
      </p>
      {group.bargeProfiles.length ? (
        <p>
          {group.bargeProfiles.length === 1
            ? `Profile ${group.bargeProfiles.join('')} loses its barge group`
            : `Profiles ${group.bargeProfiles.join(', ')} lose their barge group`}
          : their users can no longer monitor anyone until given another.
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
