import { useRef } from 'react';
import type { FormEvent } from 'react';
import { trunkCreateSchema, trunkTransports, type Trunk } from '../../../contracts/trunks';
import { PendingButton } from '../../lib/pending-button';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useToaster } from '../../lib/toast-provider';
import { useSchemaForm } from '../../lib/use-schema-form';
import { NumberFormatFields } from './number-format-fields';
import { TrunkAuthFields } from './trunk-auth-fields';
import {
  blankTrunk,
  parseNewTrunk,
  parseTrunkEdit,
  trunkChanges,
  trunkEditSchema,
  trunkValues,
} from './trunk-form-values';
import { useCreateTrunk, useUpdateTrunk } from './trunk-mutations';

type TrunkFormProps = {
  /** Without a trunk the form creates one; with one it edits it. */
  trunk?: Trunk;
  onDone: () => void;
  onCancel: () => void;
};

export function TrunkForm({ trunk, onDone, onCancel }: TrunkFormProps) {
  const toaster = useToaster();
  const create = useCreateTrunk();
  const update = useUpdateTrunk();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    trunk ? trunkValues(trunk) : blankTrunk,
    (values) => (trunk ? parseTrunkEdit(trunk, values) : parseNewTrunk(values)),
    formRef,
  );
  const { values, set, field } = form;
  const pending = create.isPending || update.isPending;
  const passwordStored = trunk?.auth.kind === 'register' && trunk.auth.hasPassword;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const input = form.submit();
    if (!input) return;
    const onError = (error: unknown) => {
      form.showServerErrors(error);
      toaster.failure(trunk ? `Could not change ${trunk.name}` : 'Could not create the trunk', error);
    };
    if (!trunk) {
      create.mutate(trunkCreateSchema.parse(input), {
        onSuccess(saved) {
          toaster.success(`Trunk ${saved.name} created; its status shows once the first check answers.`);
          onDone();
        },
        onError,
      });
      return;
    }
    const change = trunkChanges(trunk, trunkEditSchema(trunk).parse(input));
    if (Object.keys(change).length === 0) {
      onDone();
      return;
    }
    update.mutate(
      { id: trunk.id, change },
      {
        onSuccess(saved) {
          toaster.success(`Trunk ${saved.name} saved.`);
          onDone();
        },
        onError,
      },
    );
  }

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      <TextField
        label="Name"
        hint="Lower-case letters, digits and underscores, e.g. carrier_de."
        autoCapitalize="none"
        spellCheck={false}
        {...field('name')}
        required
      />
      <div className="form-row">
        <TextField
          label="Host"
          hint="The carrier’s SIP server: a host name or an IP address."
          autoCapitalize="none"
          spellCheck={false}
          {...field('host')}
          required
        />
        <TextField label="Port" inputMode="numeric" {...field('port')} required />
        <SelectField label="Transport" {...field('transport')}>
          {trunkTransports.map((transport) => (
            <option key={transport} value={transport}>
              {transport.toUpperCase()}
            </option>
          ))}
        </SelectField>
      </div>
      <TrunkAuthFields form={form} passwordStored={passwordStored} />
      <TextField
        label="Caller ID"
        inputMode="tel"
        hint="The number sent on outbound calls, in international format like +493012345600; the carrier must allow it."
        {...field('callerId')}
        required
      />
      <NumberFormatFields form={form} />
      <div className="form-row">
        <TextField
          label="Prefixes"
          hint="Numbers it carries, separated by commas or spaces: +49 for Germany, + alone for every number."
          spellCheck={false}
          {...field('prefixes')}
          required
        />
        <TextField
          label="Priority"
          inputMode="numeric"
          hint="0 to 1000, lower first; the next is tried when one fails."
          {...field('priority')}
          required
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          name="enabled"
          checked={values.enabled}
          onChange={(event) => set('enabled', event.target.checked)}
        />
        Enabled: calls may use this trunk
      </label>
      <div className="form-actions">
        <PendingButton type="submit" pending={pending} pendingLabel={trunk ? 'Saving…' : 'Creating…'}>
          {trunk ? 'Save changes' : 'Create trunk'}
        </PendingButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
