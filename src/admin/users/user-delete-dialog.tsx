import type { User } from '../../../contracts/users';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteUser } from './user-mutations';

export function UserDeleteDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const remove = useDeleteUser();
  const toaster = useToaster();
  return (
    <ConfirmDialog
      title={`Delete ${user.displayName}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(user.id, {
          onSuccess() {
            toaster.success(`${user.displayName} was deleted.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not delete ${user.displayName}`, error),
        })
      }
    >
      <p>
        {user.displayName} ({user.username}, extension {user.extension}) can no longer sign in, and leaves
        {user.groups.length ? ` ${user.groups.join(', ')}` : ' no groups'}. Their past calls stay in the call
        history. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
