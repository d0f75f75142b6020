import type { TrunkAuth } from '../../../contracts/trunks';
import { RadioGroup } from '../../lib/radio-group';
import { TextField } from '../../lib/text-field';
import type { TrunkFormFields } from './trunk-form-fields';

const authOptions: readonly { value: TrunkAuth['kind']; label: string }[] = [
  { value: 'register', label: 'Registration: username and password' },
  { value: 'ip', label: 'IP address: the carrier’s addresses' },
];

type TrunkAuthFieldsProps = {
  form: TrunkFormFields;
  /** On edit, when a password is stored: an empty field keeps it. */
  passwordStored: boolean;
};

/** How the carrier knows us: credentials the edge registers with, or the addresses it sends from. */
export function TrunkAuthFields({ form, passwordStored }: TrunkAuthFieldsProps) {
  const { values, set, errorFor } = form;
  return (
    <>
      <RadioGroup
        legend="Authentication"
        name="auth.kind"
        value={values['auth.kind']}
        options={authOptions}
        onChange={(kind) => set('auth.kind', kind)}
        hint="Registration: Switchboard registers to the carrier. IP address: calls from any other address are refused."
      />
      {values['auth.kind'] === 'register' ? (
        <div className="form-row">
          <TextField
            label="Username"
            name="auth.username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={values['auth.username']}
            onChange={(event) => set('auth.username', event.target.value)}
            error={errorFor('auth.username')}
            required
          />
          <TextField
            label="Password"
            name="auth.password"
            type="password"
            autoComplete="new-password"
            hint={
              passwordStored
                ? 'Leave empty to keep the stored password.'
                : 'Stored encrypted; it is never shown again.'
            }
            value={values['auth.password']}
            onChange={(event) => set('auth.password', event.target.value)}
            error={errorFor('auth.password')}
            required={!passwordStored}
          />
        </div>
      ) : (
        <TextField
          label="Carrier addresses"
          name="auth.addresses"
          autoComplete="off"
          spellCheck={false}
          hint="IPv4 or IPv6 addresses the carrier sends from, separated by commas or spaces."
          value={values['auth.addresses']}
          onChange={(event) => set('auth.addresses', event.target.value)}
          error={errorFor('auth.addresses')}
          required
        />
      )}
    </>
  );
}
