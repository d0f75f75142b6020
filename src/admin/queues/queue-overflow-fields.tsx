import { useQuery } from '@tanstack/react-query';
import type { Queue, QueueOverflow } from '../../../contracts/queues';
import { RadioGroup } from '../../lib/radio-group';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { UserSearch } from '../common/user-search';
import { userByIdQuery } from '../common/user-name-query';
import type { QueueFormFields } from './queue-form-fields';

const overflowOptions: readonly { value: QueueOverflow['kind']; label: string }[] = [
  { value: 'refuse', label: 'Refuse the call, with a reason the caller’s phone shows' },
  { value: 'queue', label: 'Send it to another queue' },
  { value: 'user', label: 'Ring a user' },
];

type QueueOverflowFieldsProps = {
  form: QueueFormFields;
  /** Every queue, to choose another from. */
  queues: readonly Queue[];
  /** The queue being edited, which cannot overflow to itself. */
  selfId: number | null;
};

/** Where a call goes once it has waited the maximum: another queue, a user, or a refusal. */
export function QueueOverflowFields({ form, queues, selfId }: QueueOverflowFieldsProps) {
  const { values, set, errorFor } = form;
  const kind = values['overflow.kind'];
  return (
    <>
      <RadioGroup
        legend="After the maximum wait"
        name="overflow.kind"
        value={kind}
        options={overflowOptions}
        onChange={(next) => set('overflow.kind', next)}
      />
      {kind === 'refuse' ? (
        <TextField
          label="Reason"
          name="overflow.reason"
          hint="The reason phrase the caller’s phone shows, up to 100 characters."
          maxLength={100}
          value={values['overflow.reason']}
          onChange={(event) => set('overflow.reason', event.target.value)}
          error={errorFor('overflow.reason')}
          required
        />
      ) : null}
      {kind === 'queue' ? (
        <SelectField
          label="Overflow queue"
          name="overflow.queueId"
          value={values['overflow.queueId']}
          onChange={(event) => set('overflow.queueId', event.target.value)}
          error={
            values['overflow.queueId'] === '' && errorFor('overflow.queueId')
              ? 'Choose the queue calls go to after the maximum wait.'
              : errorFor('overflow.queueId')
          }
        >
          <option value="">Choose a queue…</option>
          {queues
            .filter((queue) => queue.id !== selfId)
            .map((queue) => (
              <option key={queue.id} value={String(queue.id)}>
                {queue.name} ({queue.extension})
              </option>
            ))}
        </SelectField>
      ) : null}
      {kind === 'user' ? <OverflowUserField form={form} /> : null}
    </>
  );
}

/** The user calls overflow to: shown by name with a change button, else a search. */
function OverflowUserField({ form }: { form: QueueFormFields }) {
  const { values, set, errorFor } = form;
  const chosen = values['overflow.userId'];
  const known = useQuery({
    ...userByIdQuery(chosen?.id ?? 0),
    enabled: chosen !== null && chosen.label === null,
  });
  const error = errorFor('overflow.userId');
  if (!chosen)
    return (
      <>
        <UserSearch
          label="Overflow user"
          actionLabel="Choose"
          onPick={(user) =>
            set('overflow.userId', { id: user.id, label: `${user.displayName} (${user.username})` })
          }
        />
        {error ? <p className="field-error">Choose the user calls go to after the maximum wait.</p> : null}
      </>
    );
  const label =
    chosen.label ?? (known.data ? `${known.data.displayName} (${known.data.username})` : `user ${chosen.id}`);
  return (
    <div className="field">
      <span className="field-label">Overflow user</span>
      <p className="chosen-filter">
        {label}
        <button
          type="button"
          className="button button-secondary button-small"
          aria-label={`Choose another user instead of ${label}`}
          onClick={() => set('overflow.userId', null)}
        >
          Change
        </button>
      </p>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}
