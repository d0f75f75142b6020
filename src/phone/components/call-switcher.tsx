import { useActiveCallId, useCalls, usePhoneActions } from '../phone-store-context';
import { CallState } from '../sip/phone-state';

/** With two or more calls: which one is being talked on, and switching (the other goes on hold). */
export function CallSwitcher() {
  const calls = useCalls().filter((call) => call.state !== CallState.Incoming);
  const activeCallId = useActiveCallId();
  const { callSelected } = usePhoneActions();
  if (calls.length < 2) return null;
  return (
    <nav className="call-switcher" aria-label="Your calls">
      <ul>
        {calls.map((call) => {
          const peer = call.peerName ?? call.peerNumber;
          const active = call.id === activeCallId;
          return (
            <li key={call.id}>
              <button
                type="button"
                className="call-switch"
                aria-current={active ? 'true' : undefined}
                onClick={() => callSelected(call.id)}
              >
                {active ? `${peer}: current call` : `Switch to ${peer}${call.held ? ' (on hold)' : ''}`}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
