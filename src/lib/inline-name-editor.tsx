import { useEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { z } from 'zod';
import { nameSchema } from '../../contracts/names';
import { fieldErrorsFromApi } from './form-errors';
import { PendingButton } from './pending-button';
import { asSentence } from './sentence';
import { TextField } from './text-field';

const identifierSchema = nameSchema('name');

type InlineNameEditorProps = {
  value: string;
  /** What the name is of, for labels: "profile", "group". */
  what: string;
  /** Saves the new name; a rejection with a `name` field message shows it on the field. */
  onSave: (name: string) => Promise<unknown>;
  /** When set, the name cannot be edited here. */
  disabled?: boolean;
  /** The rule a new name must meet; by default a lower-case identifier (profiles, groups). */
  schema?: z.ZodType<string>;
};

/**
 * A name you click to rename in place: Enter saves, Escape cancels, and focus comes back to
 * the name afterwards. Validates as you type with the contract's name rule.
 */
export function InlineNameEditor({
  value,
  what,
  onSave,
  disabled = false,
  schema = identifierSchema,
}: InlineNameEditorProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [serverError, setServerError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) {
      inputRef.current?.focus();
      inputRef.current?.select();
    } else if (wasEditing.current) buttonRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  if (disabled) return <span className="entity-name">{value}</span>;

  const parsed = schema.safeParse(draft.trim());
  const clientError = parsed.success ? undefined : asSentence(parsed.error.issues[0]?.message ?? '');
  const error = serverError ?? (draft !== value ? clientError : undefined);

  function start() {
    setDraft(value);
    setServerError(undefined);
    setEditing(true);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (!parsed.success) {
      setServerError(clientError);
      inputRef.current?.focus();
      return;
    }
    if (parsed.data === value) {
      setEditing(false);
      return;
    }
    setPending(true);
    try {
      await onSave(parsed.data);
      setEditing(false);
    } catch (failure) {
      const message = fieldErrorsFromApi(failure).name;
      if (message) setServerError(message);
      inputRef.current?.focus();
    } finally {
      setPending(false);
    }
  }

  function handleKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setEditing(false);
  }

  if (!editing)
    return (
      <button
        ref={buttonRef}
        type="button"
        className="entity-name name-button"
        onClick={start}
        aria-label={`Rename ${what} ${value}`}
      >
        {value}
        <span className="edit-mark" aria-hidden="true">
          ✎
        </span>
      </button>
    );

  return (
    <form className="inline-rename" onSubmit={handleSubmit} onKeyDown={handleKeyDown} noValidate>
      <TextField
        ref={inputRef}
        label={`New name for ${what} ${value}`}
        className="inline-rename-field"
        autoCapitalize="none"
        spellCheck={false}
        value={draft}
        onChange={(event) => {
          setDraft(event.target.value);
          setServerError(undefined);
        }}
        error={error}
      />
      <div className="inline-rename-actions">
        <PendingButton type="submit" pending={pending} pendingLabel="Saving…">
          Save
        </PendingButton>
        <button type="button" className="button button-secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
