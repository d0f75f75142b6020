import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import type { FormEvent } from 'react';
import { numberCreateSchema, type PhoneNumber } from '../../../contracts/numbers';
import { PendingButton } from '../../lib/pending-button';
import { SelectField } from '../../lib/select-field';
import { profileQueries } from '../common/profile-queries';
import { TextField } from '../../lib/text-field';
import { useToaster } from '../../lib/toast-provider';
import { useSchemaForm } from '../../lib/use-schema-form';
import { AssignmentFields } from './assignment-fields';
import {
  blankNumber,
  numberChanges,
  numberEditSchema,
  numberValues,
  parseNewNumber,
  parseNumberEdit,
} from './number-form-values';
import { useCreateNumber, useUpdateNumber } from './number-mutations';

type NumberFormProps = {
  /** Without a number the form adds one; with one it changes its label and whom it rings. */
  number?: PhoneNumber;
  onDone: () => void;
  onCancel: () => void;
};

export function NumberForm({ number, onDone, onCancel }: NumberFormProps) {
  const toaster = useToaster();
  const create = useCreateNumber();
  const update = useUpdateNumber();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    number ? numberValues(number) : blankNumber,
    (values) => (number ? parseNumberEdit(values) : parseNewNumber(values)),
    formRef,
  );
  const { values, set, field, errorFor } = form;
  const pending = create.isPending || update.isPending;
  const profiles = useQuery(profileQueries.list());

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const input = form.submit();
    if (!input) return;
    const onError = (error: unknown) => {
      form.showServerErrors(error);
      toaster.failure(number ? `Could not change ${number.number}` : 'Could not add the number', error);
    };
    if (!number) {
      create.mutate(numberCreateSchema.parse(input), {
        onSuccess(saved) {
          toaster.success(`Number ${saved.number} added.`);
          onDone();
        },
        onError,
      });
      return;
    }
    const change = numberChanges(number, numberEditSchema.parse(input));
    if (Object.keys(change).length === 0) {
      onDone();
      return;
    }
    update.mutate(
      { id: number.id, change },
      {
        onSuccess(saved) {
          toaster.success(`Number ${saved.number} saved.`);
          onDone();
        },
        onError,
      },
    );
  }

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      {number ? null : (
        <TextField
          label="Number"
          inputMode="tel"
          autoComplete="off"
          hint="In international format: + then the country code and number, like +493012345678."
          {...field('number')}
          required
        />
      )}
      <TextField
        label="Label"
        hint="What the number is for, e.g. Sales line; optional."
        maxLength={80}
        {...field('label')}
      />
      <SelectField
        label="Profile"
        hint="The profile the number is allocated to: it rings only that profile's users. In the pool it is nobody's yet."
        {...field('profileId')}
      >
        <option value="">In the account's pool</option>
        {(profiles.data ?? []).map((profile) => (
          <option key={profile.id} value={String(profile.id)}>
            {profile.name}
          </option>
        ))}
        {number?.profile && !profiles.data ? (
          <option value={String(number.profile.id)}>{number.profile.name}</option>
        ) : null}
      </SelectField>
      <AssignmentFields values={values} set={set} errorFor={errorFor} />
      <div className="form-actions">
        <PendingButton type="submit" pending={pending} pendingLabel={number ? 'Saving…' : 'Adding…'}>
          {number ? 'Save changes' : 'Add number'}
        </PendingButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
