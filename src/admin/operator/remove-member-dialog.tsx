import type { BoardMember } from '../../../contracts/monitor';
import { ConfirmDialog } from '../../lib/confirm-dialog';
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
  const monitored = member.calls.some((call) => call.monitors.length > 0);
  return (
    <ConfirmDialog
      title={`Remove ${member.displayName} from ${group.name}?`}
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={membership.isPending}
      onClose={onClose}
      onConfirm={() =>
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
      <p>
        {member.displayName} stays a user and keeps their calls, but their calls can no longer be monitored
        from this panel.
      </p>
      {monitored ? <p>A call of theirs is being monitored now: that session ends.</p> : null}
    </ConfirmDialog>
  );
}
