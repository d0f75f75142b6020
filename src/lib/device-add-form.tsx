import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { deviceCreateSchema, type DeviceCreate, type DeviceKind } from '../../contracts/devices';
import { isApiRequestError } from './api-client';
import { failureMessage } from './toast-provider';
import { PendingButton } from './pending-button';
import { RadioGroup } from './radio-group';
import { TextField } from './text-field';
import { useSchemaForm } from './use-schema-form';

const kindOptions = [
  { value: 'sip_phone', label: 'Desk phone (SIP)' },
  { value: 'external_number', label: 'External number' },
] as const;

type DeviceAddFormProps = {
  /** Supervisors and admins add external numbers; a user only their own desk phones. */
  allowExternal: boolean;
  pending: boolean;
  /** Sends the input; the callback shows the server's field messages, true when there were some. */
  onSubmit: (input: DeviceCreate, showServerErrors: (error: unknown) => boolean) => void;
  /** The last refusal that was not about one field, as a sentence (e.g. ten devices already). */
  failure: unknown;
};

function parse(values: { kind: DeviceKind; name: string; number: string }) {
  return deviceCreateSchema.safeParse(
    values.kind === 'sip_phone'
      ? { kind: values.kind, name: values.name }
      : { kind: values.kind, name: values.name, number: values.number },
  );
}

/** Adds a desk phone (its credentials come back once) or an external number, checked as you type. */
export function DeviceAddForm({ allowExternal, pending, onSubmit, failure }: DeviceAddFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const [generalFailure, setGeneralFailure] = useState(false);
  const form = useSchemaForm<{ kind: DeviceKind; name: string; number: string }, DeviceCreate>(
    { kind: 'sip_phone', name: '', number: '' },
    parse,
    formRef,
  );

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const input = form.submit();
    if (!input) return;
    setGeneralFailure(false);
    onSubmit(input, (error) => {
      const onField = form.showServerErrors(error);
      setGeneralFailure(!onField);
      return onField;
    });
  }

  return (
    <form
      ref={formRef}
      className="device-add-form"
      onSubmit={handleSubmit}
      noValidate
      aria-label="Add a device"
    >
      {allowExternal ? (
        <RadioGroup
          legend="Kind"
          name="device-kind"
          value={form.values.kind}
          options={kindOptions}
          onChange={(kind) => form.set('kind', kind)}
        />
      ) : null}
      <TextField
        label="Name"
        name="name"
        hint={
          form.values.kind === 'sip_phone'
            ? 'Where it is, e.g. Desk phone, room 2.14.'
            : 'Whose number, e.g. Mobile.'
        }
        maxLength={80}
        value={form.values.name}
        onChange={(event) => form.set('name', event.target.value)}
        error={form.errorFor('name')}
      />
      {form.values.kind === 'external_number' ? (
        <TextField
          label="Number"
          name="number"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          hint="In international format: + then the country code, e.g. +491701234567."
          value={form.values.number}
          onChange={(event) => form.set('number', event.target.value)}
          error={form.errorFor('number')}
        />
      ) : null}
      {generalFailure && failure ? (
        <p role="alert" className="form-alert">
          The device was not added:{' '}
          {/* The server's sentence as it is: it may begin with a username, which stays lower case. */}
          {isApiRequestError(failure) ? failure.message : failureMessage(failure)}
        </p>
      ) : null}
      <div className="form-actions">
        <PendingButton type="submit" pending={pending} pendingLabel="Adding…">
          {form.values.kind === 'sip_phone' ? 'Add desk phone' : 'Add external number'}
        </PendingButton>
      </div>
    </form>
  );
}
