import { useId, useRef } from 'react';
import type { User } from '../../../contracts/users';
import { Dialog } from '../../lib/dialog';
import { PendingButton } from '../../lib/pending-button';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteUser } from './user-mutations';

export function UserDeleteDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const remove = useDeleteUser();
  const toaster = useToaster();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descriptionId = useId();
  return (
    <Dialog
      title={`Delete ${user.displayName}?`}
      role="alertdialog"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={descriptionId}
    >
      <p id={descriptionId} className="dialog-text">
        {user.displayName} ({user.username}, extension {user.extension}) can no longer sign in, and leaves
        {user.groups.length ? ` ${user.groups.join(', ')}` : ' no groups'}. Their past calls stay in the call
        history. This cannot be undone.
      </p>
      <div className="form-actions">
        <PendingButton
          type="button"
          className="button-danger"
          pending={remove.isPending}
          pendingLabel="Deleting…"
          onClick={() =>
            remove.mutate(user.id, {
              onSuccess() {
                toaster.success(`${user.displayName} was deleted.`);
                onClose();
              },
              onError: (error) => toaster.failure(`Could not delete ${user.displayName}`, error),
            })
          }
        >
          Delete
        </PendingButton>
        <button ref={cancelRef} type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
