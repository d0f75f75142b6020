import { usePhoneActions, useSoundBlocked } from '../phone-store-context';

/**
 * Shown while the browser keeps the page silent until the person clicks on it (its autoplay
 * policy, e.g. after opening the phone in a new tab): without sound an incoming call would not
 * ring. One click on the button (or anywhere on the page) lets it play.
 */
export function SoundBlockedPrompt() {
  const blocked = useSoundBlocked();
  const { soundEnableRequested } = usePhoneActions();
  if (!blocked) return null;
  return (
    <div className="phone-warning sound-blocked" role="alert">
      <p>Your browser keeps this page silent until you click on it, so incoming calls would not ring.</p>
      <button type="button" className="button button-primary button-small" onClick={soundEnableRequested}>
        Enable sound
      </button>
    </div>
  );
}
