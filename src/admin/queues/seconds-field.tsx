import { TextField } from '../../lib/text-field';
import type { QueueFormFields } from './queue-form-fields';

type SecondsKey = 'ringSeconds' | 'maxWaitSeconds' | 'wrapUpSeconds' | 'serviceLevelSeconds';

type SecondsFieldProps = { form: QueueFormFields; field: SecondsKey; label: string; hint: string };

/** A number of seconds typed as digits, with its range in the hint. */
export function SecondsField({ form, field, label, hint }: SecondsFieldProps) {
  return (
    <TextField
      label={`${label} (seconds)`}
      name={field}
      inputMode="numeric"
      hint={hint}
      value={form.values[field]}
      onChange={(event) => form.set(field, event.target.value)}
      error={form.errorFor(field)}
      required
    />
  );
}
