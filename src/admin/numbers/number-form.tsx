import { useRef } from 'react';
import { numberCreateSchema, type PhoneNumber } from '../../../contracts/numbers';
import { SelectField } from '../../lib/select-field';
import { FormFooter } from '../common/form-footer';
import { ProfileOptions } from '../common/profile-options';
import { useSaveChange, useSaveNew } from '../common/record-save';
import { TextField } from '../../lib/text-field';
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
  const saveNew = useSaveNew(
    create,
    { failure: 'Could not add the number', success: (saved) => `Number ${saved.number} added.` },
    onDone,
  );
  const saveChange = useSaveChange(
    update,
    number?.id ?? 0,
    { failure: `Could not change ${number?.number}`, success: (saved) => `Number ${saved.number} saved.` },
    onDone,
  );
  const handleSubmit = form.onSubmit(pending, (input) => {
    if (!number) saveNew(numberCreateSchema.parse(input), form.showServerErrors);
    else saveChange(numberChanges(number, numberEditSchema.parse(input)), form.showServerErrors);
  });

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
        <ProfileOptions none="In the account's pool" current={number?.profile ?? null} />
      </SelectField>
      <AssignmentFields values={values} set={set} errorFor={errorFor} />
      <FormFooter
        editing={number !== undefined}
        pending={pending}
        createLabel="Add number"
        creatingLabel="Adding…"
        onCancel={onCancel}
      />
    </form>
  );
}
