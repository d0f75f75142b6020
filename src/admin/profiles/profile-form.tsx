import { useQuery } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import {
  knownFlags,
  profileCreateSchema,
  profileUpdateSchema,
  type Flag,
  type Profile,
  type ProfileCreate,
  type ProfileUpdate,
} from '../../../contracts/profiles';
import { recordingModes, type RecordingMode } from '../../../contracts/recordings';
import { CheckboxField } from '../../lib/checkbox-field';
import { flagLabels } from '../../lib/flag-labels';
import { numberOrUndefined } from '../../lib/form-errors';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useSchemaForm } from '../../lib/use-schema-form';
import { FormFooter } from '../common/form-footer';
import { NameField } from '../common/name-field';
import { groupQueries } from '../common/group-queries';

type ProfileFormValues = {
  name: string;
  capacity: string;
  channelLimit: string;
  flags: Flag[];
  /** '' is "no barge group". */
  bargeGroup: string;
  monitorNotice: boolean;
  recording: RecordingMode;
  recordingRetentionDays: string;
  recordingNotice: boolean;
};

const recordingLabels: Record<RecordingMode, string> = {
  off: 'Off',
  always: 'Every call, from the answer',
  on_demand: 'When the agent presses Record',
};

const blank: ProfileFormValues = {
  name: '',
  capacity: '',
  channelLimit: '',
  flags: ['call'],
  bargeGroup: '',
  monitorNotice: false,
  recording: 'off',
  recordingRetentionDays: '90',
  recordingNotice: false,
};

function valuesOf(profile: Profile): ProfileFormValues {
  return {
    name: profile.name,
    capacity: String(profile.capacity),
    channelLimit: String(profile.channelLimit),
    flags: [...profile.flags],
    bargeGroup: profile.bargeGroup ?? '',
    monitorNotice: profile.monitorNotice,
    recording: profile.recording,
    recordingRetentionDays: String(profile.recordingRetentionDays),
    recordingNotice: profile.recordingNotice,
  };
}

function toInput(values: ProfileFormValues) {
  return {
    name: values.name.trim(),
    capacity: numberOrUndefined(values.capacity),
    channelLimit: numberOrUndefined(values.channelLimit),
    flags: knownFlags.filter((flag) => values.flags.includes(flag)),
    bargeGroup: values.bargeGroup === '' ? null : values.bargeGroup,
    monitorNotice: values.monitorNotice,
    recording: values.recording,
    recordingRetentionDays: numberOrUndefined(values.recordingRetentionDays),
    recordingNotice: values.recordingNotice,
  };
}

/** Only what changed, so the audit log shows exactly what the person did. */
function changedFields(profile: Profile, next: Required<Omit<ProfileUpdate, 'name'>>): ProfileUpdate {
  const change: ProfileUpdate = {};
  if (next.capacity !== profile.capacity) change.capacity = next.capacity;
  if (next.channelLimit !== profile.channelLimit) change.channelLimit = next.channelLimit;
  if (next.flags.join() !== profile.flags.join()) change.flags = next.flags;
  if (next.bargeGroup !== profile.bargeGroup) change.bargeGroup = next.bargeGroup;
  if (next.monitorNotice !== profile.monitorNotice) change.monitorNotice = next.monitorNotice;
  if (next.recording !== profile.recording) change.recording = next.recording;
  if (next.recordingRetentionDays !== profile.recordingRetentionDays)
    change.recordingRetentionDays = next.recordingRetentionDays;
  if (next.recordingNotice !== profile.recordingNotice) change.recordingNotice = next.recordingNotice;
  return change;
}

const fullUpdateSchema = profileUpdateSchema.required().omit({ name: true });

/** `onSubmit` gets the parsed input and a way to show the server's field messages on the form. */
type ProfileFormProps = { pending: boolean; onCancel: () => void } & (
  | {
      profile?: undefined;
      onSubmit: (input: ProfileCreate, showServerErrors: (error: unknown) => boolean) => void;
    }
  | {
      /** Editing: everything but the name (renaming is in the table). */
      profile: Profile;
      onSubmit: (change: ProfileUpdate, showServerErrors: (error: unknown) => boolean) => void;
    }
);

/** Creates a profile or changes one; the screen's dialogs save it. */
export function ProfileForm(props: ProfileFormProps) {
  const { profile, pending, onCancel } = props;
  const editing = profile !== undefined;
  const groups = useQuery(groupQueries.list());
  const flagsHintId = useId();
  const flagsErrorId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    profile ? valuesOf(profile) : blank,
    (values) => {
      const input = toInput(values);
      if (!editing) return profileCreateSchema.safeParse(input);
      const { name: _name, ...rest } = input;
      return fullUpdateSchema.safeParse(rest);
    },
    formRef,
  );
  const { values, set, field, checkbox, errorFor } = form;

  function toggleFlag(flag: Flag, on: boolean) {
    set('flags', on ? [...values.flags, flag] : values.flags.filter((candidate) => candidate !== flag));
  }

  const handleSubmit = form.onSubmit(pending, (input) => {
    if (props.profile) {
      props.onSubmit(changedFields(props.profile, fullUpdateSchema.parse(input)), form.showServerErrors);
    } else {
      props.onSubmit(profileCreateSchema.parse(input), form.showServerErrors);
    }
  });

  const flagsError = errorFor('flags');
  const groupNames = groups.data?.map((group) => group.name) ?? [];
  if (values.bargeGroup && !groupNames.includes(values.bargeGroup)) groupNames.push(values.bargeGroup);

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      {editing ? null : <NameField label="Name" example="night_shift" {...field('name')} required />}
      <div className="form-row">
        <TextField
          label="Capacity"
          inputMode="numeric"
          hint="How many of its users may be signed in to the phone at once."
          {...field('capacity')}
          required
        />
        <TextField
          label="Channel limit"
          inputMode="numeric"
          hint="Calls at once across the profile, 1 to 300."
          {...field('channelLimit')}
          required
        />
      </div>
      <fieldset
        className="field checkbox-group"
        aria-describedby={[flagsHintId, flagsError ? flagsErrorId : ''].filter(Boolean).join(' ')}
      >
        <legend className="field-label">Features</legend>
        <p className="field-hint" id={flagsHintId}>
          What its users may do. Listen, whisper and barge in apply to the barge group below.
        </p>
        <div className="checkbox-list">
          {knownFlags.map((flag) => (
            <label key={flag} className="checkbox">
              <input
                type="checkbox"
                name="flags"
                value={flag}
                checked={values.flags.includes(flag)}
                onChange={(event) => toggleFlag(flag, event.target.checked)}
              />
              {flagLabels[flag]} <span className="flag-code">{flag}</span>
            </label>
          ))}
        </div>
        {flagsError ? (
          <p className="field-error" id={flagsErrorId}>
            {flagsError}
          </p>
        ) : null}
      </fieldset>
      <SelectField
        label="Barge group"
        hint="The group whose calls its users may monitor."
        {...field('bargeGroup')}
      >
        <option value="">No barge group</option>
        {groupNames.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <CheckboxField {...checkbox('monitorNotice')}>
        Tell its users when they are being monitored
      </CheckboxField>
      <div className="form-row">
        <SelectField
          label="Call recording"
          hint="Its users' phones record their own calls; they can pause for payment details."
          {...field('recording')}
        >
          {recordingModes.map((mode) => (
            <option key={mode} value={mode}>
              {recordingLabels[mode]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Keep recordings (days)"
          inputMode="numeric"
          hint="Then they are deleted by themselves, 1 to 3650."
          {...field('recordingRetentionDays')}
          required
        />
      </div>
      <CheckboxField {...checkbox('recordingNotice')}>
        While recording, play a short tone every 15 s to the other party
      </CheckboxField>
      <FormFooter
        editing={editing}
        pending={pending}
        createLabel="Create profile"
        creatingLabel="Creating…"
        onCancel={onCancel}
      />
    </form>
  );
}
