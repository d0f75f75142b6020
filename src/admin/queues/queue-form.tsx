import { useRef } from 'react';
import { queueStrategies, type Queue } from '../../../contracts/queues';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useSchemaForm } from '../../lib/use-schema-form';
import { FormFooter } from '../common/form-footer';
import { NameField } from '../common/name-field';
import { useSaveChange, useSaveNew } from '../common/record-save';
import { DispositionsField } from './dispositions-field';
import { blankQueue, parseQueue, queueChanges, queueValues } from './queue-form-values';
import { strategyLabels } from './queue-labels';
import { QueueMembersField } from './queue-members-field';
import { useCreateQueue, useUpdateQueue } from './queue-mutations';
import { QueueOverflowFields } from './queue-overflow-fields';
import { SecondsField } from './seconds-field';

type QueueFormProps = {
  /** Without a queue the form creates one; with one it edits it. */
  queue?: Queue;
  /** Every queue, for the overflow choice. */
  queues: readonly Queue[];
  onDone: () => void;
  onCancel: () => void;
};

/** A queue's settings, checked field by field as you type and by the server on save. */
export function QueueForm({ queue, queues, onDone, onCancel }: QueueFormProps) {
  const create = useCreateQueue();
  const update = useUpdateQueue();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(queue ? queueValues(queue) : blankQueue, parseQueue, formRef);
  const { field } = form;
  const pending = create.isPending || update.isPending;
  const saveNew = useSaveNew(
    create,
    {
      failure: 'Could not create the queue',
      success: (saved) => `Queue ${saved.name} created: calls to ${saved.extension} wait in it.`,
    },
    onDone,
  );
  const saveChange = useSaveChange(
    update,
    queue?.id ?? 0,
    { failure: `Could not change ${queue?.name}`, success: (saved) => `Queue ${saved.name} saved.` },
    onDone,
  );
  const handleSubmit = form.onSubmit(pending, (input) => {
    if (!queue) saveNew(input, form.showServerErrors);
    else saveChange(queueChanges(queue, input), form.showServerErrors);
  });

  return (
    <form ref={formRef} className="admin-form queue-form" onSubmit={handleSubmit} noValidate>
      <div className="form-row">
        <NameField label="Name" example="sales" {...field('name')} required />
        <TextField
          label="Extension"
          hint="Callers dial this to reach the queue."
          inputMode="numeric"
          {...field('extension')}
          required
        />
      </div>
      <QueueMembersField form={form} />
      <SelectField
        label="Strategy"
        hint="Which available agent is offered the next call."
        {...field('strategy')}
      >
        {queueStrategies.map((strategy) => (
          <option key={strategy} value={strategy}>
            {strategyLabels[strategy]}
          </option>
        ))}
      </SelectField>
      <div className="form-row">
        <SecondsField form={form} field="ringSeconds" label="Ring time" hint="Per agent, 5 to 300 s." />
        <SecondsField form={form} field="maxWaitSeconds" label="Maximum wait" hint="10 to 3600 s." />
      </div>
      <QueueOverflowFields form={form} queues={queues} selfId={queue?.id ?? null} />
      <div className="form-row">
        <SecondsField
          form={form}
          field="wrapUpSeconds"
          label="Wrap-up"
          hint="After each call, 0 to 600 s; 0: none."
        />
        <SecondsField
          form={form}
          field="serviceLevelSeconds"
          label="Service level threshold"
          hint="Calls answered within it count as in service, 5 to 600 s."
        />
      </div>
      <DispositionsField form={form} />
      <FormFooter
        editing={queue !== undefined}
        pending={pending}
        createLabel="Create queue"
        creatingLabel="Creating…"
        onCancel={onCancel}
      />
    </form>
  );
}
