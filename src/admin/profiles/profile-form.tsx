import { useQuery } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import type { FormEvent } from 'react';
import {
  knownFlags,
  profileCreateSchema,
  profileUpdateSchema,
  type Flag,
  type Profile,
  type ProfileUpdate,
} from '../../../contracts/profiles';
import { recordingModes, type RecordingMode } from '../../../contracts/recordings';
import { flagLabels } from '../../lib/flag-labels';
import { numberOrUndefined } from '../../lib/form-errors';
import { PendingButton } from '../../lib/pending-button';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useToaster } from '../../lib/toast-provider';
import { useSchemaForm } from '../../lib/use-schema-form';
import { groupQueries } from '../common/group-queries';
import { useCreateProfile, useUpdateProfile } from './profile-mutations';

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

type ProfileFormProps = {
  /** Without a profile the form creates one; with one it edits everything but the name. */
  profile?: Profile;
  onDone: () => void;
  onCancel: () => void;
};

export function ProfileForm({ profile, onDone, onCancel }: ProfileFormProps) {
  const editing = profile !== undefined;
  const toaster = useToaster();
  const groups = useQuery(groupQueries.list());
  const create = useCreateProfile();
  const update = useUpdateProfile();
  const flagsHintId = useId();
  const flagsErrorId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    profile ? valuesOf(profile) : blank,
    (values) => {
      const input = toInput(values);
      if (!editing) return profileCreateSchema.safeParse(input);
      const { name: _name, ...rest } = input;
      return profileUpdateSchema.required().omit({ name: true }).safeParse(rest);
    },
    formRef,
  );
  const { values, set, errorFor } = form;
  const pending = create.isPending || update.isPending;

  function toggleFlag(flag: Flag, on: boolean) {
    set('flags', on ? [...values.flags, flag] : values.flags.filter((candidate) => candidate !== flag));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const input = form.submit();
    if (!input) return;
    const onError = (error: unknown) => {
      form.showServerErrors(error);
      toaster.failure(editing ? `Could not change ${profile.name}` : 'Could not create the profile', error);
    };
    if (!editing) {
      const created = profileCreateSchema.parse(input);
      create.mutate(created, {
        onSuccess(saved) {
          toaster.success(`Profile ${saved.name} created.`);
          onDone();
        },
        onError,
      });
      return;
    }
    const change = changedFields(profile, profileUpdateSchema.required().omit({ name: true }).parse(input));
    if (Object.keys(change).length === 0) {
      onDone();
      return;
    }
    update.mutate(
      { id: profile.id, change },
      {
        onSuccess(saved) {
          toaster.success(`Profile ${saved.name} saved.`);
          onDone();
        },
        onError,
      },
    );
  }

  const flagsError = errorFor('flags');
  const groupNames = groups.data?.map((group) => group.name) ?? [];
  if (values.bargeGroup && !groupNames.includes(values.bargeGroup)) groupNames.push(values.bargeGroup);

  return (
    <form ref={formRef} className="admin-form" onSubmit={handleSubmit} noValidate>
      {editing ? null : (
        <TextField
          label="Name"
          name="name"
          hint="Lower-case letters, digits and underscores, e.g. night_shift."
          autoCapitalize="none"
          spellCheck={false}
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={errorFor('name')}
          required
        />
      )}
      <div className="form-row">
        <TextField
          label="Capacity"
          name="capacity"
          inputMode="numeric"
          hint="How many of its users may be signed in to the phone at once."
          value={values.capacity}
          onChange={(event) => set('capacity', event.target.value)}
          error={errorFor('capacity')}
          required
        />
        <TextField
          label="Channel limit"
          name="channelLimit"
          inputMode="numeric"
          hint="Calls at once across the profile, 1 to 300."
          value={values.channelLimit}
          onChange={(event) => set('channelLimit', event.target.value)}
          error={errorFor('channelLimit')}
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
        name="bargeGroup"
        hint="The group whose calls its users may monitor."
        value={values.bargeGroup}
        onChange={(event) => set('bargeGroup', event.target.value)}
        error={errorFor('bargeGroup')}
      >
        <option value="">No barge group</option>
        {groupNames.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <label className="checkbox">
        <input
          type="checkbox"
          name="monitorNotice"
          checked={values.monitorNotice}
          onChange={(event) => set('monitorNotice', event.target.checked)}
        />
        Tell its users when they are being monitored
      </label>
      <div className="form-row">
        <SelectField
          label="Call recording"
          name="recording"
          hint="Its users' phones record their own calls; they can pause for payment details."
          value={values.recording}
          onChange={(event) => set('recording', event.target.value as RecordingMode)}
          error={errorFor('recording')}
        >
          {recordingModes.map((mode) => (
            <option key={mode} value={mode}>
              {recordingLabels[mode]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Keep recordings (days)"
          name="recordingRetentionDays"
          inputMode="numeric"
          hint="Then they are deleted by themselves, 1 to 3650."
          value={values.recordingRetentionDays}
          onChange={(event) => set('recordingRetentionDays', event.target.value)}
          error={errorFor('recordingRetentionDays')}
          required
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          name="recordingNotice"
          checked={values.recordingNotice}
          onChange={(event) => set('recordingNotice', event.target.checked)}
        />
        While recording, play a short tone every 15 s to the other party
      </label>
      <div className="form-actions">
        <PendingButton type="submit" pending={pending} pendingLabel={editing ? 'Saving…' : 'Creating…'}>
          {editing ? 'Save changes' : 'Create profile'}
        </PendingButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
