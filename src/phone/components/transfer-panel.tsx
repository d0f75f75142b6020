import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { usePhoneActions } from '../phone-store-context';
import type { CallView } from '../phone-store';
import { normaliseDialTarget } from '../sip/dial-target';
import { CallState } from '../sip/phone-state';

type TransferPanelProps = { call: CallView; otherCalls: CallView[] };

/** Blind transfer to a number, or attended: connect this caller with another call in progress. */
export function TransferPanel({ call, otherCalls }: TransferPanelProps) {
  const { blindTransferRequested, attendedTransferRequested } = usePhoneActions();
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const fieldId = useId();
  const problemId = useId();
  const consults = otherCalls.filter((other) => other.state === CallState.Established);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalised = normaliseDialTarget(target);
    if (!normalised) {
      setProblem('Type the number or username to transfer to.');
      return;
    }
    setProblem(null);
    blindTransferRequested(call.id, normalised);
  };

  return (
    <div className="transfer-panel">
      <form className="transfer-form" onSubmit={submit} aria-label="Blind transfer">
        <label className="field-label" htmlFor={fieldId}>
          Transfer to (number or username)
        </label>
        <div className="inline-field">
          <input
            id={fieldId}
            className="field-input"
            type="text"
            inputMode="tel"
            autoComplete="off"
            value={target}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            onChange={(event) => setTarget(event.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={call.transferring}>
            Transfer
          </button>
        </div>
        {problem ? (
          <p id={problemId} className="field-error">
            {problem}
          </p>
        ) : null}
      </form>
      {consults.map((other) => (
        <button
          key={other.id}
          type="button"
          className="button button-secondary"
          disabled={call.transferring}
          onClick={() => attendedTransferRequested(call.id, other.id)}
        >
          Connect {call.peerName ?? call.peerNumber} with {other.peerName ?? other.peerNumber}
        </button>
      ))}
    </div>
  );
}
