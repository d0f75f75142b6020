import { useCalls, usePhoneActions } from '../phone-store-context';
import { CallState } from '../sip/phone-state';

/** Ringing screens: who calls, Answer and Decline; "Call waiting" while already on a call. */
export function IncomingCalls() {
  const calls = useCalls();
  const { answerRequested, declineRequested } = usePhoneActions();
  const ringing = calls.filter((call) => call.state === CallState.Incoming);
  const onAnotherCall = calls.some((call) => call.state !== CallState.Incoming);
  if (ringing.length === 0) return null;
  return (
    <>
      {ringing.map((call) => {
        const title = onAnotherCall ? 'Call waiting' : 'Incoming call';
        const headingId = `incoming-${call.id}`;
        return (
          <section key={call.id} className="incoming-call" aria-labelledby={headingId}>
            <p className="visually-hidden" role="alert">
              {`${title} from ${call.peerName ?? call.peerNumber}`}
            </p>
            <h3 id={headingId}>{title}</h3>
            <p className="caller">
              <span className="caller-name">{call.peerName ?? call.peerNumber}</span>
              {call.peerName ? <span className="caller-number">{call.peerNumber}</span> : null}
            </p>
            {onAnotherCall ? <p className="field-hint">Answering puts your current call on hold.</p> : null}
            <div className="call-actions">
              <button type="button" className="button button-answer" onClick={() => answerRequested(call.id)}>
                {onAnotherCall ? 'Answer and hold current' : 'Answer'}
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() => declineRequested(call.id)}
              >
                Decline
              </button>
            </div>
          </section>
        );
      })}
    </>
  );
}
