import type { Profile } from '../../../contracts/profiles';
import { Dialog } from '../../lib/dialog';
import { useSaveChange } from '../common/record-save';
import { ProfileForm } from './profile-form';
import { useUpdateProfile } from './profile-mutations';

/** Changes a profile's capacity, channels, flags, barge group and recording; only what changed is sent. */
export function ProfileEditDialog({ profile, onClose }: { profile: Profile; onClose: () => void }) {
  const update = useUpdateProfile();
  const save = useSaveChange(
    update,
    profile.id,
    { failure: `Could not change ${profile.name}`, success: (saved) => `Profile ${saved.name} saved.` },
    onClose,
  );
  return (
    <Dialog title={`Edit profile ${profile.name}`} onClose={onClose}>
      <ProfileForm profile={profile} pending={update.isPending} onCancel={onClose} onSubmit={save} />
    </Dialog>
  );
}
