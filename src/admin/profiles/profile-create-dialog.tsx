import { Dialog } from '../../lib/dialog';
import { useToaster } from '../../lib/toast-provider';
import { ProfileForm } from './profile-form';
import { useCreateProfile } from './profile-mutations';

/** Creates a profile. */
export function ProfileCreateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateProfile();
  const toaster = useToaster();
  return (
    <Dialog title="New profile" onClose={onClose}>
      <ProfileForm
        pending={create.isPending}
        onCancel={onClose}
        onSubmit={(input, showServerErrors) =>
          create.mutate(input, {
            onSuccess(saved) {
              toaster.success(`Profile ${saved.name} created.`);
              onClose();
            },
            onError(error) {
              showServerErrors(error);
              toaster.failure('Could not create the profile', error);
            },
          })
        }
      />
    </Dialog>
  );
}
