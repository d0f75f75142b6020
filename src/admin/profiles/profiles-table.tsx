import type { Profile } from '../../../contracts/profiles';
import type { Me } from '../../../contracts/users';
import { InlineNameEditor } from '../../lib/inline-name-editor';
import { useToaster } from '../../lib/toast-provider';
import { DataTable } from '../common/data-table';
import { RowActions } from '../common/row-actions';
import { canDeleteProfiles, profileLockReason } from './profile-access';
import { ProfileFlagToggles } from './profile-flag-toggles';
import { useUpdateProfile } from './profile-mutations';

type ProfilesTableProps = {
  profiles: readonly Profile[];
  me: Me;
  onEdit: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
};

export function ProfilesTable({ profiles, me, onEdit, onDelete }: ProfilesTableProps) {
  return (
    <DataTable
      caption="SIP profiles"
      columns={['Name', 'Seats', 'Channels', 'Features', 'Barge group', 'Users']}
      actions
    >
      {profiles.map((profile) => (
        <ProfileRow key={profile.id} profile={profile} me={me} onEdit={onEdit} onDelete={onDelete} />
      ))}
    </DataTable>
  );
}

type ProfileRowProps = Omit<ProfilesTableProps, 'profiles'> & { profile: Profile };

function ProfileRow({ profile, me, onEdit, onDelete }: ProfileRowProps) {
  const lockReason = profileLockReason(me, profile.id);
  const update = useUpdateProfile();
  const toaster = useToaster();
  const full = profile.seatsInUse >= profile.capacity;

  function rename(name: string) {
    return update.mutateAsync(
      { id: profile.id, change: { name } },
      {
        onSuccess: () => toaster.success(`Profile ${profile.name} is now ${name}; its users stay on it.`),
        onError: (error) => toaster.failure(`Could not rename ${profile.name}`, error),
      },
    );
  }

  return (
    <tr>
      <th scope="row">
        <InlineNameEditor
          value={profile.name}
          what="profile"
          onSave={rename}
          disabled={lockReason !== null}
        />
        {me.user.profileId === profile.id ? <span className="tag">Your profile</span> : null}
      </th>
      {/* No-break spaces keep "3 of 50" on one line when the cell wraps. */}
      <td className={full ? 'counts numbers-full' : 'counts'}>
        {`${profile.seatsInUse}\u00a0of\u00a0${profile.capacity} signed in`}
      </td>
      <td className="counts">{`${profile.channelsInUse}\u00a0of\u00a0${profile.channelLimit} in use`}</td>
      <td>
        <ProfileFlagToggles profile={profile} locked={lockReason !== null} />
      </td>
      <td>{profile.bargeGroup ?? <span className="muted">None</span>}</td>
      <td className="numbers">{profile.userCount}</td>
      <td>
        {lockReason ? (
          <p className="lock-note">{lockReason}</p>
        ) : (
          <RowActions
            name={profile.name}
            onEdit={() => onEdit(profile)}
            onDelete={canDeleteProfiles(me) ? () => onDelete(profile) : undefined}
          />
        )}
      </td>
    </tr>
  );
}
