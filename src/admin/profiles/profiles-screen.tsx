import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Profile } from '../../../contracts/profiles';
import type { Me } from '../../../contracts/users';
import { ListScreen } from '../common/list-screen';
import { ProfileDeleteDialog } from './profile-delete-dialog';
import { ProfileCreateDialog } from './profile-create-dialog';
import { ProfileEditDialog } from './profile-edit-dialog';
import { profileQueries } from '../common/profile-queries';
import { ProfilesTable } from './profiles-table';

type Open =
  { kind: 'create' } | { kind: 'edit'; profile: Profile } | { kind: 'delete'; profile: Profile } | null;

/** Profiles for supervisors and admins: live seats and channels, create, rename, edit, delete. */
export function ProfilesScreen({ me }: { me: Me }) {
  const profiles = useQuery(profileQueries.list());
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);

  return (
    <ListScreen
      query={profiles}
      what="profiles"
      createLabel="New profile"
      onCreate={() => setOpen({ kind: 'create' })}
      empty="There are no profiles yet. Create one with “New profile”: users need a profile to use the phone."
      list={(items) => (
        <ProfilesTable
          profiles={items}
          me={me}
          onEdit={(profile) => setOpen({ kind: 'edit', profile })}
          onDelete={(profile) => setOpen({ kind: 'delete', profile })}
        />
      )}
    >
      {open?.kind === 'create' ? <ProfileCreateDialog onClose={close} /> : null}
      {open?.kind === 'edit' ? <ProfileEditDialog profile={open.profile} onClose={close} /> : null}
      {open?.kind === 'delete' ? <ProfileDeleteDialog profile={open.profile} onClose={close} /> : null}
    </ListScreen>
  );
}
