import { useQuery } from '@tanstack/react-query';
import { profileQueries } from './profile-queries';

type ProfileOptionsProps = {
  /** The first option, value '': "No profile", "Any profile". */
  none: string;
  /** The profile already chosen, offered while the list is still loading so the select shows it. */
  current?: { id: number; name: string } | null;
};

/** A profile select's options, one a profile (value: its id), after the "none" choice. */
export function ProfileOptions({ none, current = null }: ProfileOptionsProps) {
  const profiles = useQuery(profileQueries.list());
  return (
    <>
      <option value="">{none}</option>
      {(profiles.data ?? []).map((profile) => (
        <option key={profile.id} value={String(profile.id)}>
          {profile.name}
        </option>
      ))}
      {current && !profiles.data ? <option value={String(current.id)}>{current.name}</option> : null}
    </>
  );
}
