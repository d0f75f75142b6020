import type { NumberFormat } from '../../../contracts/trunks';
import { RadioGroup } from '../../lib/radio-group';
import { TextField } from '../../lib/text-field';
import type { TrunkFormFields } from './trunk-form-fields';
import { formatOf } from './trunk-form-values';
import { numberFormatExample } from './trunk-labels';

const formatOptions: readonly { value: NumberFormat['kind']; label: string }[] = [
  { value: 'e164', label: 'E.164, with + and the country code' },
  { value: 'national', label: 'National: the country code replaced by a national prefix' },
];

/** The number format the carrier wants, with what it does to an example number as you type. */
export function NumberFormatFields({ form }: { form: TrunkFormFields }) {
  const { values, set, errorFor } = form;
  const example = numberFormatExample(formatOf(values));
  return (
    <>
      <RadioGroup
        legend="Number format"
        name="numberFormat.kind"
        value={values['numberFormat.kind']}
        options={formatOptions}
        onChange={(kind) => set('numberFormat.kind', kind)}
      />
      {values['numberFormat.kind'] === 'national' ? (
        <div className="form-row">
          <TextField
            label="Prefix to strip"
            name="numberFormat.stripPrefix"
            hint="The country code of the carrier’s country, like +49."
            inputMode="tel"
            value={values['numberFormat.stripPrefix']}
            onChange={(event) => set('numberFormat.stripPrefix', event.target.value)}
            error={errorFor('numberFormat.stripPrefix')}
            required
          />
          <TextField
            label="National prefix"
            name="numberFormat.nationalPrefix"
            hint="What replaces it, usually 0; may be empty."
            inputMode="numeric"
            value={values['numberFormat.nationalPrefix']}
            onChange={(event) => set('numberFormat.nationalPrefix', event.target.value)}
            error={errorFor('numberFormat.nationalPrefix')}
          />
        </div>
      ) : null}
      <p className="format-example" aria-live="polite">
        {example ? `For example, ${example}` : 'Give the prefix to strip, like +49, to see an example.'}
      </p>
    </>
  );
}
