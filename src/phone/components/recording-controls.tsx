import type { RecordingMode } from '../../../contracts/recordings';
import { usePhoneActions, useRecording } from '../phone-store-context';

type RecordingControlsProps = { callId: string; mode: RecordingMode };

/**
 * The call's recording: "Recording" or "Recording paused" for as long as it is true, Pause/Resume
 * (for payment details), and on an on-demand profile Record and Stop recording.
 */
export function RecordingControls({ callId, mode }: RecordingControlsProps) {
  const actions = usePhoneActions();
  const view = useRecording(callId);
  if (mode === 'off') return null;
  const paused = view?.status === 'paused';
  return (
    <div className="recording-controls" role="group" aria-label="Recording">
      {view ? (
        <p role="status" className={`recording-state${paused ? ' recording-paused' : ''}`}>
          {view.status === 'starting' ? 'Starting recording…' : paused ? 'Recording paused' : 'Recording'}
        </p>
      ) : null}
      {view && view.status !== 'starting' ? (
        <button
          type="button"
          className="button button-secondary"
          aria-pressed={paused}
          onClick={() => actions.recordPauseToggled(callId)}
        >
          {paused ? 'Resume recording' : 'Pause recording'}
        </button>
      ) : null}
      {mode === 'on_demand' && !view ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => actions.recordRequested(callId)}
        >
          Record
        </button>
      ) : null}
      {mode === 'on_demand' && view && view.status !== 'starting' ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => actions.recordStopRequested(callId)}
        >
          Stop recording
        </button>
      ) : null}
    </div>
  );
}
