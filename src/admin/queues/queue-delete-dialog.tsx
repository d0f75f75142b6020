import type { Queue } from '../../../contracts/queues';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteQueue } from './queue-mutations';

/** Asks before deleting a queue, saying what becomes of its calls and figures. */
export function QueueDeleteDialog({ queue, onClose }: { queue: Queue; onClose: () => void }) {
  const remove = useDeleteQueue();
  const toaster = useToaster();
  return (
    <ConfirmDialog
      title={`Delete queue ${queue.name}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(queue.id, {
          onSuccess() {
            toaster.success(`Queue ${queue.name} deleted.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not delete ${queue.name}`, error),
        })
      }
    >
      <p>
        Calls to {queue.extension} no longer wait in a queue, and it leaves the wallboard. Its members stay
        users.
      </p>
      <p>Past queue calls and reports keep its name.</p>
    </ConfirmDialog>
  );
}
