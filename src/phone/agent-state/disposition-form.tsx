import { useRef } from 'react';
import type { FormEvent } from 'react';
import type { MyAgentState } from '../../../contracts/agent-states';
import { callWrapUpSchema } from '../../../contracts/queues';
import { FieldFrame } from '../../lib/field-frame';
import { PendingButton } from '../../lib/pending-button';
import { SelectField } from '../../lib/select-field';
import { asSentence } from '../../lib/sentence';
import { useSchemaForm } from '../../lib/use-schema-form';
import { useSaveWrapUp } from './agent-state-queries';

type WrapUp = NonNullable<MyAgentState['wrapUp']>;

/** The call's disposition, one of the queue's codes, and an optional note: sent with the call record. */
export function DispositionForm({ wrapUp }: { wrapUp: WrapUp }) {
  const save = useSaveWrapUp();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    { disposition: wrapUp.disposition ?? '', note: wrapUp.note ?? '' },
    (values) => callWrapUpSchema.safeParse(values),
    formRef,
  );
  const { values, set, errorFor } = form;

  if (wrapUp.dispositions.length === 0)
    return (
      <p className="field-hint">
        The queue {wrapUp.queue} has no dispositions to choose from; a supervisor adds them.
      </p>
    );

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const input = form.submit();
    if (!input) return;
    save.mutate(
      { callId: wrapUp.callId, wrapUp: input },
      { onError: (error) => form.showServerErrors(error) },
    );
  }

  const saved = wrapUp.disposition;
  return (
    <form ref={formRef} className="disposition-form" onSubmit={handleSubmit} noValidate>
      <SelectField
        label="Disposition"
        name="disposition"
        value={values.disposition}
        onChange={(event) => set('disposition', event.target.value)}
        error={
          errorFor('disposition') && values.disposition === ''
            ? 'Choose a disposition.'
            : errorFor('disposition')
        }
        required
      >
        <option value="">Choose…</option>
        {wrapUp.dispositions.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </SelectField>
      <FieldFrame
        label="Note (optional)"
        error={errorFor('note')}
        control={(wiring) => (
          <textarea
            {...wiring}
            name="note"
            rows={2}
            maxLength={2000}
            value={values.note}
            onChange={(event) => set('note', event.target.value)}
          />
        )}
      />
      <div className="form-actions">
        <PendingButton type="submit" className="button-small" pending={save.isPending} pendingLabel="Saving…">
          Save disposition
        </PendingButton>
        <span role="status" className="field-hint">
          {saved && !save.isPending ? `Saved: ${saved}.` : ''}
        </span>
      </div>
      {save.isError && !errorFor('disposition') && !errorFor('note') ? (
        <p className="agent-state-error" role="alert">
          The disposition was not saved: {asSentence(save.error.message)}
        </p>
      ) : null}
    </form>
  );
}
