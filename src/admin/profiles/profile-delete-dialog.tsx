import { useQuery } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import type { Profile, ProfileDeletionImpact } from '../../../contracts/profiles';
import { Dialog } from '../../lib/dialog';
import { PendingButton } from '../../lib/pending-button';
import { failureMessage, useToaster } from '../../lib/toast-provider';
import { useDeleteProfile } from './profile-mutations';
import { profileQueries } from './profile-queries';

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
  return [users, calls];
}

type ProfileDeleteDialogProps = { profile: Profile; onClose: () => void };

export function ProfileDeleteDialog({ profile, onClose }: ProfileDeleteDialogProps) {
  const impact = useQuery(profileQueries.deletionImpact(profile.id));
  const remove = useDeleteProfile();
  const toaster = useToaster();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descriptionId = useId();

  function confirm() {
    remove.mutate(profile.id, {
      onSuccess(result) {
        toaster.success(
          `Profile ${profile.name} deleted: ${plural(result.usersUnassigned, 'user', 'users')} without a profile, ${plural(result.callRecordsDeleted, 'call record', 'call records')} deleted.`,
        );
        onClose();
      },
      onError: (error) => toaster.failure(`Could not delete ${profile.name}`, error),
    });
  }

  return (
    <Dialog
      title={`Delete profile ${profile.name}?`}
      role="alertdialog"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={descriptionId}
    >
      <div id={descriptionId} className="dialog-text">
        {impact.isPending ? (
          <p role="status" className="loading-line">
            <span className="spinner" aria-hidden="true" />
            Counting its users and calls…
          </p>
        ) : impact.isError ? (
          <p role="alert" className="form-alert">
            What deleting it would change could not be counted: {failureMessage(impact.error)}
          </p>
        ) : (
          deletionConsequences(impact.data).map((sentence) => <p key={sentence}>{sentence}</p>)
        )}
      </div>
      <div className="form-actions">
        {impact.data && impact.data.callRecordCount > 0 ? (
          <a className="button button-secondary" href={impact.data.exportUrl} download>
            Export call history (CSV)
          </a>
        ) : null}
        <PendingButton
          type="button"
          className="button-danger"
          pending={remove.isPending}
          pendingLabel="Deleting…"
          aria-disabled={impact.data ? undefined : true}
          onClick={() => {
            if (impact.data) confirm();
          }}
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
