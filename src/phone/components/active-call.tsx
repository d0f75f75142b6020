import type { RecordingMode } from '../../../contracts/recordings';
import { RecordingControls } from './recording-controls';
import { useId, useState } from 'react';
import { useMonitoredBy, usePhoneActions } from '../phone-store-context';
import type { CallView } from '../phone-store';
import { CallState } from '../sip/phone-state';
import { CallQualityView } from './call-quality-view';
import { formatClock } from '../../lib/format-time';
import { Keypad } from './keypad';
import { missingFeatureSentence } from './missing-feature';
import { TransferPanel } from './transfer-panel';
import { useNow } from '../../lib/use-now';

type ActiveCallProps = {
  call: CallView;
  otherCalls: CallView[];
  canTransfer: boolean;
  profileName: string | null;
  /** The profile's `monitor_notice`: say so when someone monitors this call. */
  monitorNotice: boolean;
  /** The profile's call recording. */
  recordingMode?: RecordingMode;
};

function headline(call: CallView): string {
  const peer = call.peerName ?? call.peerNumber;
  switch (call.state) {
    case CallState.Dialing:
      return `Calling ${peer}…`;
    case CallState.Ringing:
      return `Ringing ${peer}…`;
    case CallState.Connecting:
      return `Connecting to ${peer}…`;
    case CallState.Established:
      return call.held ? `${peer} (on hold)` : `In call with ${peer}`;
    default:
      return peer;
  }
}

/** The call being handled: progress, timer and the controls an agent uses during a call. */
export function ActiveCall({
  call,
  otherCalls,
  canTransfer,
  profileName,
  monitorNotice,
  recordingMode = 'off',
}: ActiveCallProps) {
  const actions = usePhoneActions();
  const monitoredBy = useMonitoredBy();
  const monitors = monitorNotice ? monitoredBy.filter((monitor) => monitor.callId === call.id) : [];
  const [panel, setPanel] = useState<'none' | 'keypad' | 'transfer'>('none');
  const headingId = useId();
  const transferHelpId = useId();
  const established = call.state === CallState.Established;
  const now = useNow(established);
  const peer = call.peerName ?? call.peerNumber;

  return (
    <section className="active-call" aria-labelledby={headingId} data-state={call.state}>
      <h3 id={headingId}>{headline(call)}</h3>
      {call.peerName ? <p className="caller-number">{call.peerNumber}</p> : null}
      {established && call.answeredAt !== null ? (
        <p className="call-timer">
          <span className="visually-hidden">Call time </span>
          <time>{formatClock(now - call.answeredAt)}</time>
        </p>
      ) : null}
      {monitors.map((monitor) => (
        <p key={monitor.id} role="status" className="monitored-notice">
          Being monitored by {monitor.by} ({monitor.mode})
        </p>
      ))}
      {call.transferring ? (
        <p role="status" className="field-hint">
          Transferring…
        </p>
      ) : null}
      <div className="call-actions" role="group" aria-label={`Controls for the call with ${peer}`}>
        {established ? (
          <>
            <button
              type="button"
              className="button button-secondary"
              aria-pressed={call.muted}
              onClick={() => actions.muteToggled(call.id)}
            >
              {call.muted ? 'Unmute' : 'Mute'}
            </button>
            <button
              type="button"
              className="button button-secondary"
              aria-pressed={call.held}
              onClick={() => actions.holdToggled(call.id)}
            >
              {call.held ? 'Resume' : 'Hold'}
            </button>
            <button
              type="button"
              className="button button-secondary"
              aria-expanded={panel === 'keypad'}
              onClick={() => setPanel(panel === 'keypad' ? 'none' : 'keypad')}
            >
              Keypad
            </button>
            <button
              type="button"
              className="button button-secondary"
              aria-expanded={panel === 'transfer'}
              disabled={!canTransfer}
              aria-describedby={canTransfer ? undefined : transferHelpId}
              onClick={() => setPanel(panel === 'transfer' ? 'none' : 'transfer')}
            >
              Transfer
            </button>
          </>
        ) : null}
        <button
          type="button"
          className="button button-danger"
          onClick={() => actions.hangUpRequested(call.id)}
        >
          {established ? 'Hang up' : 'Cancel call'}
        </button>
      </div>
      {established ? <RecordingControls callId={call.id} mode={recordingMode} /> : null}
      {established && !canTransfer ? (
        <p id={transferHelpId} className="phone-explanation">
          {missingFeatureSentence('transfer', profileName)}
        </p>
      ) : null}
      {established && panel === 'keypad' ? (
        <div className="call-keypad">
          <Keypad label="Send tones" onPress={(tone) => actions.dtmfPressed(call.id, tone)} />
          <p className="field-hint" aria-live="polite">
            {call.dtmfSent ? `Tones sent: ${call.dtmfSent}` : 'Tones you press are sent to the other side.'}
          </p>
        </div>
      ) : null}
      {call.dtmfReceived ? <p className="field-hint">Tones received: {call.dtmfReceived}</p> : null}
      {call.notice ? (
        <p className="phone-explanation" role="status">
          {call.notice}
        </p>
      ) : null}
      {established && panel === 'transfer' && canTransfer ? (
        <TransferPanel call={call} otherCalls={otherCalls} />
      ) : null}
      {established ? <CallQualityView quality={call.quality} /> : null}
    </section>
  );
}
