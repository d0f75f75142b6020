import { useState } from 'react';
import type { User, UserWithPassword } from '../../../contracts/users';
import { Dialog } from '../../lib/dialog';
import { PendingButton } from '../../lib/pending-button';
import { useToaster } from '../../lib/toast-provider';
import { useSaveChange } from '../common/record-save';
import { PasswordOnce } from './password-once';
import { UserForm } from './user-form';
import { useResetPassword, useUpdateUser } from './user-mutations';

type UserEditDialogProps = {
  user: User;
  /** The signed-in admin: they cannot delete themselves. */
  myId: number;
  onClose: () => void;
  onDelete: (user: User) => void;
};

/** Changes a user; resets their password (shown once); leads to deleting them. */
export function UserEditDialog({ user, myId, onClose, onDelete }: UserEditDialogProps) {
  const update = useUpdateUser();
  const reset = useResetPassword();
  const toaster = useToaster();
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [newPassword, setNewPassword] = useState<UserWithPassword | null>(null);
  const save = useSaveChange(
    update,
    user.id,
    { failure: `Could not change ${user.displayName}`, success: (saved) => `${saved.displayName} saved.` },
    onClose,
  );

  if (newPassword)
    return (
      <Dialog title={`New password for ${user.displayName}`} onClose={onClose}>
        <PasswordOnce user={newPassword.user} password={newPassword.password} what="reset" onDone={onClose} />
      </Dialog>
    );

  return (
    <Dialog title={`Edit ${user.displayName} (${user.username})`} onClose={onClose}>
      <UserForm user={user} pending={update.isPending} onCancel={onClose} onSubmit={save} />
      <section className="danger-zone" aria-label="Password and removal">
        {confirmingReset ? (
          <div className="confirm-inline">
            <p>
              Reset the password of {user.displayName}? They are signed out and need the new password to sign
              in again.
            </p>
            <div className="form-actions">
              <PendingButton
                type="button"
                pending={reset.isPending}
                pendingLabel="Resetting…"
                onClick={() =>
                  reset.mutate(user.id, {
                    onSuccess: setNewPassword,
                    onError: (error) =>
                      toaster.failure(`Could not reset the password of ${user.displayName}`, error),
                  })
                }
              >
                Reset password
              </PendingButton>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setConfirmingReset(false)}
              >
                Keep the current password
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setConfirmingReset(true)}
            >
              Reset password…
            </button>
            {user.id === myId ? (
              <p className="muted">You cannot delete yourself; another admin can.</p>
            ) : (
              <button
                type="button"
                className="button button-secondary button-danger-text"
                onClick={() => onDelete(user)}
              >
                Delete user…
              </button>
            )}
          </div>
        )}
      </section>
    </Dialog>
  );
}
