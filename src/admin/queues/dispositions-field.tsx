import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { QueueFormFields } from './queue-form-fields';

/** The queue's disposition codes as a list: type one and add it, remove any with its button. */
export function DispositionsField({ form }: { form: QueueFormFields }) {
  const { values, set, errorFor } = form;
  const [draft, setDraft] = useState('');
  const id = useId();
  const error = errorFor('dispositions');
  const list = values.dispositions;

  function add() {
    const code = draft.trim();
    if (code === '') return;
    if (!list.includes(code)) set('dispositions', [...list, code]);
    setDraft('');
  }
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  }

  return (
    <div className="field dispositions-field">
      <label className="field-label" htmlFor={`${id}-input`}>
        Dispositions
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        Codes the agent picks from in wrap-up, like sale or callback: lower-case letters, digits and
        underscores.
      </p>
      {list.length > 0 ? (
        <ul className="plain-list disposition-list" aria-label="Dispositions of the queue">
          {list.map((code) => (
            <li key={code} className="tag">
              {code}
              <button
                type="button"
                className="button button-secondary button-small"
                aria-label={`Remove disposition ${code}`}
                onClick={() =>
                  set(
                    'dispositions',
                    list.filter((candidate) => candidate !== code),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="inline-create">
        <input
          id={`${id}-input`}
          className="field-input"
          autoCapitalize="none"
          spellCheck={false}
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ')}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="button button-secondary" onClick={add}>
          Add disposition
        </button>
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
