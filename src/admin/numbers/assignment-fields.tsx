import { useQuery } from '@tanstack/react-query';
import { RadioGroup } from '../../lib/radio-group';
import { SelectField } from '../../lib/select-field';
import { queueQueries } from '../common/queue-queries';
import { groupQueries } from '../common/group-queries';
import { UserSearch } from '../common/user-search';
import type { AssignmentKind, NumberFormValues } from './number-form-values';

const kindOptions: readonly { value: AssignmentKind; label: string }[] = [
  { value: 'none', label: 'Nobody yet: callers hear “not in service”' },
  { value: 'user', label: 'A user: all their phones ring' },
  { value: 'group', label: 'A group: every signed-in member rings, the first to answer takes it' },
  { value: 'queue', label: 'A queue: callers wait until an Available agent answers' },
];

type AssignmentFieldsProps = {
  values: NumberFormValues;
  set: <K extends keyof NumberFormValues & string>(key: K, value: NumberFormValues[K]) => void;
  errorFor: (key: keyof NumberFormValues & string) => string | undefined;
};

/** Whom the number rings: nobody, a user found by searching, a group, or a queue. */
export function AssignmentFields({ values, set, errorFor }: AssignmentFieldsProps) {
  const kind = values['assignment.kind'];
  return (
    <>
      <RadioGroup
        legend="Rings"
        name="assignment.kind"
        value={kind}
        options={kindOptions}
        onChange={(next) => set('assignment.kind', next)}
      />
      {kind === 'user' ? <UserPicker values={values} set={set} errorFor={errorFor} /> : null}
      {kind === 'group' ? <GroupPicker values={values} set={set} errorFor={errorFor} /> : null}
      {kind === 'queue' ? <QueuePicker values={values} set={set} errorFor={errorFor} /> : null}
    </>
  );
}

function UserPicker({ values, set, errorFor }: AssignmentFieldsProps) {
  const chosen = values['assignment.userId'];
  const error = errorFor('assignment.userId');
  if (chosen)
    return (
      <div className="field">
        <span className="field-label">User</span>
        <p className="chosen-filter">
          {chosen.displayName} <span className="muted">({chosen.username})</span>
          <button
            type="button"
            className="button button-secondary button-small"
            aria-label={`Choose another user instead of ${chosen.displayName}`}
            onClick={() => set('assignment.userId', null)}
          >
            Change
          </button>
        </p>
        {error ? <p className="field-error">{error}</p> : null}
      </div>
    );
  return (
    <div className="field">
      <UserSearch
        label="User it rings"
        actionLabel="Choose"
        onPick={({ id, displayName, username }) => set('assignment.userId', { id, displayName, username })}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function GroupPicker({ values, set, errorFor }: AssignmentFieldsProps) {
  const groups = useQuery(groupQueries.list());
  return (
    <SelectField
      label="Group it rings"
      name="assignment.groupId"
      value={values['assignment.groupId']}
      onChange={(event) => set('assignment.groupId', event.target.value)}
      error={errorFor('assignment.groupId')}
      hint={groups.isError ? 'The groups could not be loaded; close the form and try again.' : undefined}
    >
      <option value="">Choose a group</option>
      {(groups.data ?? []).map((group) => (
        <option key={group.id} value={String(group.id)}>
          {group.name} ({group.members.length} {group.members.length === 1 ? 'member' : 'members'})
        </option>
      ))}
    </SelectField>
  );
}

function QueuePicker({ values, set, errorFor }: AssignmentFieldsProps) {
  const queues = useQuery(queueQueries.list());
  return (
    <SelectField
      label="Queue its callers wait in"
      name="assignment.queueId"
      value={values['assignment.queueId']}
      onChange={(event) => set('assignment.queueId', event.target.value)}
      error={errorFor('assignment.queueId')}
      hint={queues.isError ? 'The queues could not be loaded; close the form and try again.' : undefined}
    >
      <option value="">Choose a queue</option>
      {(queues.data ?? []).map((queue) => (
        <option key={queue.id} value={String(queue.id)}>
          {queue.name} (extension {queue.extension})
        </option>
      ))}
    </SelectField>
  );
}
