import { useQuery } from '@tanstack/react-query';
import type { Profile, ProfileDeletionImpact } from '../../../contracts/profiles';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { failureMessage, useToaster } from '../../lib/toast-provider';
import { useDeleteProfile } from './profile-mutations';
import { profileQueries } from '../common/profile-queries';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The sentences the dialog states before anyone confirms. */
export function deletionConsequences(impact: ProfileDeletionImpact): string[] {
  const users =
    impact.userCount === 0
      ? 'No users are on it.'
      : `Its ${plural(impact.userCount, 'user loses', 'users lose')} their profile and cannot use the phone until given one.`;
  const calls =
    impact.callRecordCount === 0
      ? 'It has no call history.'
      : `Its call history (${plural(impact.callRecordCount, 'call record', 'call records')}) is deleted. Export it first if you need it.`;
  const credit = /[1-9]/.test(impact.credit)
    ? `Its credit of ${impact.currency} ${impact.credit} goes back to the account's balance.`
    : 'It holds no credit.';
  const numbers =
    impact.numbers.length === 0
      ? 'It has no numbers.'
      : `Its ${impact.numbers.length === 1 ? 'number' : 'numbers'} ${listed(impact.numbers)} ${impact.numbers.length === 1 ? 'goes' : 'go'} back to the pool, ringing nobody until allocated again.`;
  return [users, calls, credit, numbers];
}

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

type ProfileDeleteDialogProps = { profile: Profile; onClose: () => void };

export function ProfileDeleteDialog({ profile, onClose }: ProfileDeleteDialogProps) {
  const impact = useQuery(profileQueries.deletionImpact(profile.id));
  const remove = useDeleteProfile();
  const toaster = useToaster();

  function confirm() {
    remove.mutate(profile.id, {
      onSuccess(result) {
        toaster.success(
          `Profile ${profile.name} deleted: ${plural(result.usersUnassigned, 'user', 'users')} without a profile, ${plural(result.callRecordsDeleted, 'call record', 'call records')} deleted, ${result.currency} ${result.creditReturned} back to the account, ${plural(result.numbersReturned.length, 'number', 'numbers')} back to the pool.`,
        );
        onClose();
      },
      onError: (error) => toaster.failure(`Could not delete ${profile.name}`, error),
    });
  }

  return (
    <ConfirmDialog
      title={`Delete profile ${profile.name}?`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      confirmUnavailable={!impact.data}
      alternative={
        impact.data && impact.data.callRecordCount > 0 ? (
          <a className="button button-secondary" href={impact.data.exportUrl} download>
            Export call history (CSV)
          </a>
        ) : null
      }
      onConfirm={confirm}
      onClose={onClose}
    >
      {impact.isPending ? (
        <p role="status" className="loading-line">
          <span className="spinner" aria-hidden="true" />
          Counting its users, calls, credit and numbers…
        </p>
      ) : impact.isError ? (
        <p role="alert" className="form-alert">
          What deleting it would change could not be counted: {failureMessage(impact.error)}
        </p>
      ) : (
        deletionConsequences(impact.data).map((sentence) => <p key={sentence}>{sentence}</p>)
      )}
    </ConfirmDialog>
  );
}
