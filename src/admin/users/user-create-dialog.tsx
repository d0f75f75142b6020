import { useState } from 'react';
import type { UserWithPassword } from '../../../contracts/users';
import { Dialog } from '../../lib/dialog';
import { useToaster } from '../../lib/toast-provider';
import { PasswordOnce } from './password-once';
import { UserForm } from './user-form';
import { useCreateUser } from './user-mutations';

/** Adds a user, then shows their generated password once. */
export function UserCreateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateUser();
  const toaster = useToaster();
  const [created, setCreated] = useState<UserWithPassword | null>(null);

  return (
    <Dialog title={created ? `${created.user.displayName} was added` : 'Add user'} onClose={onClose}>
      {created ? (
        <PasswordOnce user={created.user} password={created.password} what="created" onDone={onClose} />
      ) : (
        <UserForm
          pending={create.isPending}
          onCancel={onClose}
          onSubmit={(input, showServerErrors) =>
            create.mutate(input, {
              onSuccess: setCreated,
              onError(error) {
                showServerErrors(error);
                toaster.failure('Could not add the user', error);
              },
            })
          }
        />
      )}
    </Dialog>
  );
}
