import { useMutation } from '@tanstack/react-query';
import type { RecordingSummary } from '../../../contracts/recordings';
import { apiClient } from '../../lib/api-client';
import { formatDuration } from '../../lib/format-time';
import { useToaster } from '../../lib/toast-provider';

type RecordingCellProps = { recordings: readonly RecordingSummary[]; canDelete: boolean };

/**
 * A call's recordings in the history: a player (the API streams it with Range requests; every
 * play is audited there), a download link, and for admins Delete. The server decides who may
 * hear them; a refusal shows as the player's error.
 */
export function RecordingCell({ recordings, canDelete }: RecordingCellProps) {
  const toaster = useToaster();
  // The history refreshes through the call event the server publishes for the deletion.
  const remove = useMutation({
    mutationFn: (id: string) => apiClient.delete(`/api/recordings/${id}`),
    onSuccess: () => {
      toaster.success('Recording deleted.');
    },
    onError: (error) => toaster.failure('Could not delete the recording', error),
  });
  if (recordings.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain-list recording-list">
      {recordings.map((recording) => {
        const label = `Recording by ${recording.username}`;
        if (recording.state !== 'ready')
          return (
            <li key={recording.id}>
              {label}: {recording.state === 'recording' ? 'being made' : 'could not be made'}
            </li>
          );
        const url = `/api/recordings/${recording.id}/audio`;
        return (
          <li key={recording.id}>
            <audio controls preload="none" src={url} aria-label={label} />
            <span className="muted">
              {recording.username}
              {recording.durationMs !== null ? `, ${formatDuration(recording.durationMs)}` : ''}
              {recording.pauses.length > 0 ? `, paused ${recording.pauses.length}×` : ''}
            </span>{' '}
            <a href={`${url}?download=1`} download aria-label={`Download ${label.toLowerCase()}`}>
              Download
            </a>
            {canDelete ? (
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete the ${label.toLowerCase()}? This cannot be undone.`))
                    remove.mutate(recording.id);
                }}
              >
                Delete
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
