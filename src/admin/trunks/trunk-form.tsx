import { useRef } from 'react';
import { trunkCreateSchema, trunkTransports, type Trunk } from '../../../contracts/trunks';
import { CheckboxField } from '../../lib/checkbox-field';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useSchemaForm } from '../../lib/use-schema-form';
import { FormFooter } from '../common/form-footer';
import { NameField } from '../common/name-field';
import { useSaveChange, useSaveNew } from '../common/record-save';
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
  const create = useCreateTrunk();
  const update = useUpdateTrunk();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    trunk ? trunkValues(trunk) : blankTrunk,
    (values) => (trunk ? parseTrunkEdit(trunk, values) : parseNewTrunk(values)),
    formRef,
  );
  const { field, checkbox } = form;
  const pending = create.isPending || update.isPending;
  const passwordStored = trunk?.auth.kind === 'register' && trunk.auth.hasPassword;
  const saveNew = useSaveNew(
    create,
    {
      failure: 'Could not create the trunk',
      success: (saved) => `Trunk ${saved.name} created; its status shows once the first check answers.`,
    },
    onDone,
  );
  const saveChange = useSaveChange(
    update,
    trunk?.id ?? 0,
    { failure: `Could not change ${trunk?.name}`, success: (saved) => `Trunk ${saved.name} saved.` },
    onDone,
  );
  const handleSubmit = form.onSubmit(pending, (input) => {
    if (!trunk) saveNew(trunkCreateSchema.parse(input), form.showServerErrors);
    else saveChange(trunkChanges(trunk, trunkEditSchema(trunk).parse(input)), form.showServerErrors);
  });

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      <NameField label="Name" example="carrier_de" {...field('name')} required />
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
      <CheckboxField {...checkbox('enabled')}>Enabled: calls may use this trunk</CheckboxField>
      <FormFooter
        editing={trunk !== undefined}
        pending={pending}
        createLabel="Create trunk"
        creatingLabel="Creating…"
        onCancel={onCancel}
      />
    </form>
  );
}
