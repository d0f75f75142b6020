import type { PhoneNumber } from '../../../contracts/numbers';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteNumber } from './number-mutations';

export function NumberDeleteDialog({ number, onClose }: { number: PhoneNumber; onClose: () => void }) {
  const remove = useDeleteNumber();
  const toaster = useToaster();
  return (
    <ConfirmDialog
      title={`Delete number ${number.number}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(number.id, {
          onSuccess() {
            toaster.success(`Number ${number.number} deleted.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not delete ${number.number}`, error),
        })
      }
    >
      <p>
        Calls to {number.number}
        {number.label ? ` (${number.label})` : ''} are refused from then on; the carrier keeps the number
        until you cancel it there. Past call records keep it.
      </p>
    </ConfirmDialog>
  );
}
