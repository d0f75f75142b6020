import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PhoneNumber } from '../../../contracts/numbers';
import { Dialog } from '../../lib/dialog';
import { ListScreen } from '../common/list-screen';
import { NumberDeleteDialog } from './number-delete-dialog';
import { NumberForm } from './number-form';
import { numberQueries } from './number-queries';
import { NumbersTable } from './numbers-table';

type Open =
  { kind: 'create' } | { kind: 'edit'; number: PhoneNumber } | { kind: 'delete'; number: PhoneNumber } | null;

/** Phone numbers for admins: whom a carrier's call to each rings; add, reassign, delete. */
export function NumbersScreen() {
  const numbers = useQuery(numberQueries.list());
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);

  return (
    <ListScreen
      query={numbers}
      what="numbers"
      createLabel="Add number"
      onCreate={() => setOpen({ kind: 'create' })}
      empty="There are no numbers yet. Add the numbers your carrier routes to you with “Add number”, and choose whom each rings."
      list={(items) => (
        <NumbersTable
          numbers={items}
          onEdit={(number) => setOpen({ kind: 'edit', number })}
          onDelete={(number) => setOpen({ kind: 'delete', number })}
        />
      )}
    >
      {open?.kind === 'create' ? (
        <Dialog title="Add number" onClose={close}>
          <NumberForm onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'edit' ? (
        <Dialog title={`Edit number ${open.number.number}`} onClose={close}>
          <NumberForm number={open.number} onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'delete' ? <NumberDeleteDialog number={open.number} onClose={close} /> : null}
    </ListScreen>
  );
}
