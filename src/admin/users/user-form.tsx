import { useRef } from 'react';
import { roles, type Role } from '../../../contracts/roles';
import {
  callListPrivacies,
  userCreateSchema,
  userUpdateSchema,
  type CallListPrivacy,
  type User,
  type UserCreate,
  type UserUpdate,
} from '../../../contracts/users';
import { roleLabels } from '../../lib/role-labels';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useSchemaForm } from '../../lib/use-schema-form';
import { FormFooter } from '../common/form-footer';
import { ProfileOptions } from '../common/profile-options';
import { privacyLabels } from './user-labels';

type UserFormValues = {
  username: string;
  displayName: string;
  email: string;
  extension: string;
  location: string;
  role: Role;
  /** '' is "no profile". */
  profileId: string;
  callListPrivacy: CallListPrivacy;
};

const blank: UserFormValues = {
  username: '',
  displayName: '',
  email: '',
  extension: '',
  location: '',
  role: 'agent',
  profileId: '',
  callListPrivacy: 'complete',
};

function valuesOf(user: User): UserFormValues {
  return {
    username: user.username,
    displayName: user.displayName,
    email: user.email ?? '',
    extension: user.extension,
    location: user.location ?? '',
    role: user.role,
    profileId: user.profileId === null ? '' : String(user.profileId),
    callListPrivacy: user.callListPrivacy,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

function toInput(values: UserFormValues) {
  return {
    displayName: values.displayName,
    email: orNull(values.email),
    extension: values.extension.trim(),
    location: orNull(values.location),
    role: values.role,
    profileId: values.profileId === '' ? null : Number(values.profileId),
    callListPrivacy: values.callListPrivacy,
  };
}

const fullUpdateSchema = userUpdateSchema.required();

/** Only what changed: the audit log then shows exactly what the admin did. */
function changedFields(user: User, next: Required<UserUpdate>): UserUpdate {
  const change: UserUpdate = {};
  if (next.displayName !== user.displayName) change.displayName = next.displayName;
  if (next.email !== user.email) change.email = next.email;
  if (next.extension !== user.extension) change.extension = next.extension;
  if (next.location !== user.location) change.location = next.location;
  if (next.role !== user.role) change.role = next.role;
  if (next.profileId !== user.profileId) change.profileId = next.profileId;
  if (next.callListPrivacy !== user.callListPrivacy) change.callListPrivacy = next.callListPrivacy;
  return change;
}

/** `onSubmit` gets the parsed input and a way to show the server's field messages on the form. */
type UserFormProps = { pending: boolean } & (
  | {
      user?: undefined;
      onSubmit: (input: UserCreate, showServerErrors: (error: unknown) => boolean) => void;
    }
  | {
      user: User;
      onSubmit: (change: UserUpdate, showServerErrors: (error: unknown) => boolean) => void;
    }
);

/** Creates a user (with a username) or changes one (everything but the username). */
export function UserForm(props: UserFormProps & { onCancel: () => void }) {
  const { user, pending, onCancel } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    user ? valuesOf(user) : blank,
    (values) => {
      const input = toInput(values);
      return user
        ? fullUpdateSchema.safeParse(input)
        : userCreateSchema.safeParse({ ...input, username: values.username.trim() });
    },
    formRef,
  );
  const { field } = form;

  const handleSubmit = form.onSubmit(pending, (parsed) => {
    if (props.user) {
      props.onSubmit(changedFields(props.user, fullUpdateSchema.parse(parsed)), form.showServerErrors);
    } else {
      props.onSubmit(userCreateSchema.parse(parsed), form.showServerErrors);
    }
  });

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      <div className="form-row">
        <TextField label="Display name" autoComplete="off" {...field('displayName')} required />
        {user ? null : (
          <TextField
            label="Username"
            hint="Lower-case letters, digits and underscores; the SIP login."
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            {...field('username')}
            required
          />
        )}
      </div>
      <div className="form-row">
        <TextField
          label="Extension"
          inputMode="numeric"
          hint="2 to 15 digits, not used by anyone else."
          {...field('extension')}
          required
        />
        <TextField label="Email" type="email" autoComplete="off" hint="Optional." {...field('email')} />
      </div>
      <TextField label="Location" hint="Optional, e.g. Floor 2, desk 14." {...field('location')} />
      <div className="form-row">
        <SelectField label="Role" {...field('role')}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {roleLabels[role]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Profile" hint="Without one, the phone cannot sign in." {...field('profileId')}>
          <ProfileOptions none="No profile" />
        </SelectField>
      </div>
      <SelectField
        label="Call-list privacy"
        hint="How their numbers show in call lists."
        {...field('callListPrivacy')}
      >
        {callListPrivacies.map((privacy) => (
          <option key={privacy} value={privacy}>
            {privacyLabels[privacy]}
          </option>
        ))}
      </SelectField>
      <FormFooter
        editing={user !== undefined}
        pending={pending}
        createLabel="Add user"
        creatingLabel="Adding…"
        onCancel={onCancel}
      />
    </form>
  );
}
