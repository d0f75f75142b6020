import { useLastEnded, useNotice, usePhoneActions } from '../phone-store-context';

/** How the last call ended (the refusal sentence when it was refused), and failed requests. */
export function EndedCallLine() {
  const lastEnded = useLastEnded();
  const notice = useNotice();
  const { endedCallDismissed, noticeDismissed } = usePhoneActions();
  return (
    <div className="phone-messages">
      {notice ? (
        <div className="phone-notice" role="alert">
          <p>{notice}</p>
          <button type="button" className="button button-secondary button-small" onClick={noticeDismissed}>
            Dismiss
          </button>
        </div>
      ) : null}
      {lastEnded ? (
        <div
          className={lastEnded.reason ? 'phone-notice' : 'phone-ended'}
          role={lastEnded.reason ? 'alert' : 'status'}
        >
          <p>{lastEnded.reason ?? `Call with ${lastEnded.peer} ended.`}</p>
          <button type="button" className="button button-secondary button-small" onClick={endedCallDismissed}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
