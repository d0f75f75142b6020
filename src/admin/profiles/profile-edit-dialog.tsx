import type { Profile } from '../../../contracts/profiles';
import { Dialog } from '../../lib/dialog';
import { useToaster } from '../../lib/toast-provider';
import { ProfileForm } from './profile-form';
import { useUpdateProfile } from './profile-mutations';

/** Changes a profile's capacity, channels, flags, barge group and recording; only what changed is sent. */
export function ProfileEditDialog({ profile, onClose }: { profile: Profile; onClose: () => void }) {
  const update = useUpdateProfile();
  const toaster = useToaster();
  return (
    <Dialog title={`Edit profile ${profile.name}`} onClose={onClose}>
      <ProfileForm
        profile={profile}
        pending={update.isPending}
        onCancel={onClose}
        onSubmit={(change, showServerErrors) => {
          if (Object.keys(change).length === 0) {
            onClose();
            return;
          }
          update.mutate(
            { id: profile.id, change },
            {
              onSuccess(saved) {
                toaster.success(`Profile ${saved.name} saved.`);
                onClose();
              },
              onError(error) {
                showServerErrors(error);
                toaster.failure(`Could not change ${profile.name}`, error);
              },
            },
          );
        }}
      />
    </Dialog>
  );
}
