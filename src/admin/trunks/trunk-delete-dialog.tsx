import type { Trunk } from '../../../contracts/trunks';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteTrunk } from './trunk-mutations';

export function TrunkDeleteDialog({ trunk, onClose }: { trunk: Trunk; onClose: () => void }) {
  const remove = useDeleteTrunk();
  const toaster = useToaster();
  return (
    <ConfirmDialog
      title={`Delete trunk ${trunk.name}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(trunk.id, {
          onSuccess() {
            toaster.success(`Trunk ${trunk.name} deleted.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not delete ${trunk.name}`, error),
        })
      }
    >
      <p>
        Calls to {trunk.prefixes.join(', ')} no longer go through {trunk.host}; another trunk serving those
        numbers takes them, else they are refused.
        {trunk.auth.kind === 'register' ? ' Switchboard stops registering to the carrier.' : ''}
      </p>
      <p>Its stored password and settings are removed; past call records keep its name.</p>
    </ConfirmDialog>
  );
}
