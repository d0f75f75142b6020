import { useId, useRef } from 'react';
import type { BoardMember } from '../../../contracts/monitor';
import { Dialog } from '../../lib/dialog';
import { PendingButton } from '../../lib/pending-button';
import { useToaster } from '../../lib/toast-provider';
import { useChangeBoardMembership } from './board-mutations';

type RemoveMemberDialogProps = {
  group: { id: number; name: string };
  member: BoardMember;
  onClose: () => void;
};

/** Asks before taking someone out of the barge group, saying what it means. */
export function RemoveMemberDialog({ group, member, onClose }: RemoveMemberDialogProps) {
  const membership = useChangeBoardMembership();
  const toaster = useToaster();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descriptionId = useId();
  const monitored = member.calls.some((call) => call.monitors.length > 0);
  return (
    <Dialog
      title={`Remove ${member.displayName} from ${group.name}?`}
      role="alertdialog"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={descriptionId}
    >
      <div id={descriptionId} className="dialog-text">
        <p>
          {member.displayName} stays a user and keeps their calls, but their calls can no longer be monitored
          from this panel.
        </p>
        {monitored ? <p>A call of theirs is being monitored now: that session ends.</p> : null}
      </div>
      <div className="form-actions">
        <PendingButton
          type="button"
          className="button-danger"
          pending={membership.isPending}
          pendingLabel="Removing…"
          onClick={() =>
            membership.mutate(
              { groupId: group.id, userId: member.userId, kind: 'remove' },
              {
                onSuccess() {
                  toaster.success(`${member.displayName} removed from ${group.name}.`);
                  onClose();
                },
                onError: (error) =>
                  toaster.failure(`Could not remove ${member.displayName} from ${group.name}`, error),
              },
            )
          }
        >
          Remove
        </PendingButton>
        <button ref={cancelRef} type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
