import { useRegistration, usePhoneActions } from '../phone-store-context';
import { useNow } from '../../lib/use-now';

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

/** "second" for index 1: which of the phone's servers, in words. */
function ordinal(index: number): string {
  return ORDINALS[index] ?? `number ${index + 1}`;
}

type StatusLineProps = { extension: string; hasProfile: boolean };

/** Always visible: whether the phone can take and make calls right now, and why not. */
export function StatusLine({ extension, hasProfile }: StatusLineProps) {
  const registration = useRegistration();
  const { retryRequested } = usePhoneActions();
  const now = useNow(registration.status === 'reconnecting', 250);

  let dot = 'idle';
  let text: string;
  let action: string | null = null;
  switch (registration.status) {
    case 'idle':
      text = hasProfile ? 'Phone not connected yet' : 'Phone not connected: no SIP profile';
      break;
    case 'connecting':
      dot = 'busy';
      text = 'Connecting…';
      break;
    case 'registered':
      dot = 'ok';
      text = `Registered as ${extension}: ready for calls`;
      break;
    case 'reconnecting': {
      dot = 'busy';
      const seconds = Math.max(0, Math.ceil((registration.nextAttemptAt - now) / 1000));
      const server = registration.server ? ` (trying the ${ordinal(registration.server.index)} server)` : '';
      text =
        seconds > 0
          ? `Connection lost: reconnecting in ${seconds} s${server}`
          : `Connection lost: reconnecting now${server}…`;
      action = 'Reconnect now';
      break;
    }
    case 'failed':
      dot = 'failed';
      text = `Not connected. ${registration.reason}`;
      action = 'Try again';
      break;
    case 'stopped':
      text = 'Phone signed out';
      break;
  }

  return (
    <div className="status-row">
      <span className="status-line" role="status" data-status={registration.status}>
        <span className={`status-dot status-dot-${dot}`} aria-hidden="true" />
        {text}
      </span>
      {action ? (
        <button type="button" className="button button-secondary button-small" onClick={retryRequested}>
          {action}
        </button>
      ) : null}
    </div>
  );
}
