import { useId, useState } from 'react';
import { readDtmfMode, saveDtmfMode } from '../dtmf-preference';
import type { DtmfMode } from '../sip/call-info';

/** How keypad tones are sent, for the systems that want them as SIP INFO; applies at once. */
export function KeypadToneSetting() {
  const [mode, setMode] = useState<DtmfMode>(readDtmfMode);
  const fieldId = useId();
  const hintId = useId();
  return (
    <div className="field keypad-tone-setting">
      <label className="field-label" htmlFor={fieldId}>
        Keypad tones
      </label>
      <select
        id={fieldId}
        className="field-input"
        value={mode}
        aria-describedby={hintId}
        onChange={(event) => {
          const chosen: DtmfMode = event.target.value === 'info' ? 'info' : 'rfc4733';
          setMode(chosen);
          saveDtmfMode(chosen);
        }}
      >
        <option value="rfc4733">In the call’s audio (RFC 4733)</option>
        <option value="info">As SIP INFO messages</option>
      </select>
      <p id={hintId} className="field-hint">
        Choose SIP INFO only if the system you call asks for it.
      </p>
    </div>
  );
}
