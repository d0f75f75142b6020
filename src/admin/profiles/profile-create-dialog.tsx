import { Dialog } from '../../lib/dialog';
import { useSaveNew } from '../common/record-save';
import { ProfileForm } from './profile-form';
import { useCreateProfile } from './profile-mutations';

/** Creates a profile. */
export function ProfileCreateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateProfile();
  const save = useSaveNew(
    create,
    { failure: 'Could not create the profile', success: (saved) => `Profile ${saved.name} created.` },
    onClose,
  );
  return (
    <Dialog title="New profile" onClose={onClose}>
      <ProfileForm pending={create.isPending} onCancel={onClose} onSubmit={save} />
    </Dialog>
  );
}
