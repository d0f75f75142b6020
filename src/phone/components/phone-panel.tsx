import type { Flag } from '../../../contracts/profiles';

const featureLabels: Record<Flag, string> = {
  call: 'Place calls',
  transfer: 'Transfer',
  listen: 'Listen',
  whisper: 'Whisper',
  barge: 'Barge in',
  auto_answer: 'Auto answer',
};

type PhonePanelProps = {
  extension: string;
  /** The user's SIP profile; without one the phone cannot sign in. */
  profile: { name: string; flags: readonly Flag[] } | null;
};

/** The softphone's place in the shell: who this phone is and whether it is connected. */
export function PhonePanel({ extension, profile }: PhonePanelProps) {
  return (
    <div className="phone-panel">
      <h2 id="phone-heading">Phone</h2>
      <dl className="phone-facts">
        <div>
          <dt>Extension</dt>
          <dd className="phone-extension">{extension}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className="status-line" role="status">
              <span className="status-dot status-dot-idle" aria-hidden="true" />
              Phone not connected yet
            </span>
          </dd>
        </div>
      </dl>
      {profile ? (
        <div className="phone-features">
          <h3>
            Features on <span className="profile-name">{profile.name}</span>
          </h3>
          {profile.flags.length > 0 ? (
            <ul className="feature-list">
              {profile.flags.map((flag) => (
                <li key={flag}>{featureLabels[flag]}</li>
              ))}
            </ul>
          ) : (
            <p>This profile has no telephony features.</p>
          )}
        </div>
      ) : (
        <p className="phone-warning">
          You have no SIP profile, so the phone cannot sign in. Ask a supervisor or an admin to give you one.
        </p>
      )}
    </div>
  );
}
