import { knownFlags, type Profile } from '../../../contracts/profiles';
import { flagLabels } from '../../lib/flag-labels';
import { useToaster } from '../../lib/toast-provider';
import { useUpdateProfile } from './profile-mutations';

type ProfileFlagTogglesProps = { profile: Profile; locked: boolean };

/** The profile's features as switches: a press changes it at once, and undoes itself if refused. */
export function ProfileFlagToggles({ profile, locked }: ProfileFlagTogglesProps) {
  const update = useUpdateProfile();
  const toaster = useToaster();

  if (locked)
    return profile.flags.length ? (
      <ul className="flag-list" aria-label={`Features of ${profile.name}`}>
        {profile.flags.map((flag) => (
          <li key={flag} className="flag-chip flag-on">
            {flagLabels[flag]}
          </li>
        ))}
      </ul>
    ) : (
      <span className="muted">No features</span>
    );

  function toggle(flag: (typeof knownFlags)[number]) {
    const on = !profile.flags.includes(flag);
    const flags = knownFlags.filter((known) => (known === flag ? on : profile.flags.includes(known)));
    update.mutate(
      { id: profile.id, change: { flags } },
      {
        onError: (error) =>
          toaster.failure(
            `Could not turn ${on ? 'on' : 'off'} ${flagLabels[flag]} for ${profile.name}`,
            error,
          ),
      },
    );
  }

  return (
    <div className="flag-toggles" role="group" aria-label={`Features of ${profile.name}`}>
      {knownFlags.map((flag) => {
        const on = profile.flags.includes(flag);
        return (
          <button
            key={flag}
            type="button"
            className={`flag-chip ${on ? 'flag-on' : 'flag-off'}`}
            aria-pressed={on}
            onClick={() => toggle(flag)}
          >
            {flagLabels[flag]}
          </button>
        );
      })}
    </div>
  );
}
