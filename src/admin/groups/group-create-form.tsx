import { useRef } from 'react';
import type { FormEvent } from 'react';
import { groupCreateSchema } from '../../../contracts/groups';
import { PendingButton } from '../../lib/pending-button';
import { TextField } from '../../lib/text-field';
import { useToaster } from '../../lib/toast-provider';
import { useSchemaForm } from '../../lib/use-schema-form';
import { useCreateGroup } from './group-mutations';

export function GroupCreateForm() {
  const create = useCreateGroup();
  const toaster = useToaster();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useSchemaForm(
    { name: '' },
    (values) => groupCreateSchema.safeParse({ name: values.name.trim() }),
    formRef,
  );

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const input = form.submit();
    if (!input) return;
    create.mutate(input.name, {
      onSuccess(group) {
        toaster.success(`Group ${group.name} created. Add its members below.`);
        form.set('name', '');
      },
      onError(error) {
        form.showServerErrors(error);
        toaster.failure('Could not create the group', error);
      },
    });
  }

  return (
    <form ref={formRef} className="inline-create" onSubmit={handleSubmit} noValidate>
      <TextField
        label="New group"
        hint="Lower-case letters, digits and underscores, e.g. floor_2."
        autoCapitalize="none"
        spellCheck={false}
        {...form.field('name')}
      />
      <PendingButton type="submit" pending={create.isPending} pendingLabel="Creating…">
        Create group
      </PendingButton>
    </form>
  );
}
