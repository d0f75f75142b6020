import { useId, useRef } from 'react';
import type { Group } from '../../../contracts/groups';
import { Dialog } from '../../lib/dialog';
import { PendingButton } from '../../lib/pending-button';
import { useToaster } from '../../lib/toast-provider';
import { useDeleteGroup } from './group-mutations';

export function GroupDeleteDialog({ group, onClose }: { group: Group; onClose: () => void }) {
  const remove = useDeleteGroup();
  const toaster = useToaster();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descriptionId = useId();
  const members = group.members.length;
  return (
    <Dialog
      title={`Delete group ${group.name}?`}
      role="alertdialog"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={descriptionId}
    >
      <div id={descriptionId} className="dialog-text">
        <p>
          {members === 0
            ? 'It has no members.'
            : `Its ${members} ${members === 1 ? 'member stays a user' : 'members stay users'}, only the group goes.`}
        </p>
        {group.bargeProfiles.length ? (
          <p>
            Profiles {group.bargeProfiles.join(', ')} lose their barge group: their users can no longer
            monitor anyone until given another.
          </p>
        ) : null}
      </div>
      <div className="form-actions">
        <PendingButton
          type="button"
          className="button-danger"
          pending={remove.isPending}
          pendingLabel="Deleting…"
          onClick={() =>
            remove.mutate(group.id, {
              onSuccess() {
                toaster.success(`Group ${group.name} deleted.`);
                onClose();
              },
              onError: (error) => toaster.failure(`Could not delete ${group.name}`, error),
            })
          }
        >
          Delete
        </PendingButton>
        <button ref={cancelRef} type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
