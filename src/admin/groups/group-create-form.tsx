import { useRef } from 'react';
import { groupCreateSchema } from '../../../contracts/groups';
import { PendingButton } from '../../lib/pending-button';
import { useSchemaForm } from '../../lib/use-schema-form';
import { NameField } from '../common/name-field';
import { useSaveNew } from '../common/record-save';
import { useCreateGroup } from './group-mutations';

export function GroupCreateForm() {
  const create = useCreateGroup();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    { name: '' },
    (values) => groupCreateSchema.safeParse({ name: values.name.trim() }),
    formRef,
  );

  const save = useSaveNew(
    create,
    {
      failure: 'Could not create the group',
      success: (group) => `Group ${group.name} created. Add its members below.`,
    },
    () => form.set('name', ''),
  );
  const handleSubmit = form.onSubmit(create.isPending, (input) => save(input.name, form.showServerErrors));

  return (
    <form ref={formRef} className="inline-create" onSubmit={handleSubmit} noValidate>
      <NameField label="New group" example="floor_2" {...form.field('name')} />
      <PendingButton type="submit" pending={create.isPending} pendingLabel="Creating…">
        Create group
      </PendingButton>
    </form>
  );
}
