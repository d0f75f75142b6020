import { useRef } from 'react';
import { reasonCodeCreateSchema } from '../../../contracts/agent-states';
import { PendingButton } from '../../lib/pending-button';
import { TextField } from '../../lib/text-field';
import { useSchemaForm } from '../../lib/use-schema-form';
import { useSaveNew } from '../common/record-save';
import { useCreateReasonCode } from './reason-code-queries';

const blank = { code: '', label: '' };

/** Adds a reason for Not ready: a code for reports and the label agents see. */
export function ReasonCodeCreateForm() {
  const create = useCreateReasonCode();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    blank,
    (values) => reasonCodeCreateSchema.safeParse({ code: values.code.trim(), label: values.label }),
    formRef,
  );

  const save = useSaveNew(
    create,
    {
      failure: 'Could not add the reason',
      success: (saved) => `Reason ${saved.label} added: agents can choose it now.`,
    },
    () => {
      form.set('code', '');
      form.set('label', '');
    },
  );
  const handleSubmit = form.onSubmit(create.isPending, (input) => save(input, form.showServerErrors));

  return (
    <form ref={formRef} className="inline-create" onSubmit={handleSubmit} noValidate>
      <TextField
        label="Code"
        hint="For reports, e.g. lunch."
        autoCapitalize="none"
        spellCheck={false}
        {...form.field('code')}
      />
      <TextField label="Label" hint="What agents see, e.g. Lunch." maxLength={40} {...form.field('label')} />
      <PendingButton type="submit" pending={create.isPending} pendingLabel="Adding…">
        Add reason
      </PendingButton>
    </form>
  );
}
