import { useEffect, useId, useRef, useState } from 'react';
import type { ClipboardEvent, FormEvent } from 'react';
import { usePhoneActions, useRegistration } from '../phone-store-context';
import { normaliseDialTarget } from '../sip/dial-target';
import { Keypad } from './keypad';
import { missingFeatureSentence } from './missing-feature';

type DialerProps = {
  canCall: boolean;
  profileName: string | null;
  /** Shown while another call is on: the new call puts it on hold. */
  secondCall?: boolean;
  /** A number to have ready in the field (a tel: or sip: link opened the phone). */
  initialTarget?: string | null;
};

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Number field and dial pad: type, paste or press digits, Enter or the button to call. */
export function Dialer({ canCall, profileName, secondCall = false, initialTarget = null }: DialerProps) {
  const registration = useRegistration();
  const { dialRequested } = usePhoneActions();
  const [value, setValue] = useState(initialTarget ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const explanationId = useId();
  const problemId = useId();
  const registered = registration.status === 'registered';

  // A number handed in by a link: the field has it and the focus, so Enter calls.
  useEffect(() => {
    if (initialTarget) input.current?.focus();
  }, [initialTarget]);

  // Digits typed anywhere on the page (outside other fields) go into the number.
  useEffect(() => {
    if (!canCall) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
      if (!/^[0-9*#]$/.test(event.key)) return;
      event.preventDefault();
      setValue((current) => current + event.key);
      setProblem(null);
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canCall]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const target = normaliseDialTarget(value);
    if (!target) {
      setProblem(
        value.trim() === ''
          ? 'Type a number or a username to call.'
          : `${value.trim()} is not a number or username.`,
      );
      return;
    }
    setProblem(null);
    dialRequested(target);
    setValue('');
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text');
    const target = normaliseDialTarget(pasted);
    if (!target) return;
    event.preventDefault();
    setValue(target);
    setProblem(null);
  };

  const describedBy = [canCall ? null : explanationId, problem ? problemId : null].filter(Boolean).join(' ');

  return (
    <form
      className="dialer"
      onSubmit={submit}
      aria-label={secondCall ? 'Place another call' : 'Place a call'}
    >
      <div className="field">
        <label className="field-label" htmlFor="dial-target">
          {secondCall ? 'Another number or username' : 'Number or username'}
        </label>
        <input
          ref={input}
          id="dial-target"
          name="dial-target"
          className="field-input dial-input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          value={value}
          disabled={!canCall}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => {
            setValue(event.target.value);
            setProblem(null);
          }}
          onPaste={onPaste}
        />
        {problem ? (
          <p id={problemId} className="field-error">
            {problem}
          </p>
        ) : null}
      </div>
      {canCall ? (
        <Keypad
          label="Dial pad"
          onPress={(tone) => {
            setValue((current) => current + tone);
            input.current?.focus();
          }}
        />
      ) : null}
      <div className="dialer-actions">
        <button
          type="submit"
          className="button button-primary button-call"
          disabled={!canCall || !registered}
          aria-describedby={canCall ? undefined : explanationId}
        >
          Call
        </button>
        {canCall && value !== '' ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setValue((current) => current.slice(0, -1));
              input.current?.focus();
            }}
          >
            Delete last digit
          </button>
        ) : null}
      </div>
      {!canCall ? (
        <p id={explanationId} className="phone-explanation">
          {missingFeatureSentence('call', profileName)}
        </p>
      ) : !registered ? (
        <p className="field-hint">Calls can be placed once the phone is registered.</p>
      ) : null}
    </form>
  );
}
