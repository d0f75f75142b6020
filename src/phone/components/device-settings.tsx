import { useId } from 'react';
import { useDevices, useMicLevel, usePhoneActions } from '../phone-store-context';

const DEFAULT = '';

/** Microphone level while it is in use. */
export function LevelMeter() {
  const level = useMicLevel();
  return (
    <div className="level-meter">
      <span className="field-label" id="mic-level-label">
        Microphone level
      </span>
      <meter
        aria-labelledby="mic-level-label"
        min={0}
        max={1}
        low={0.15}
        high={0.9}
        optimum={0.5}
        value={level}
      />
    </div>
  );
}

/** Which microphone, speaker and ringer the phone uses; changes apply to calls in progress. */
export function DeviceSettings() {
  const devices = useDevices();
  const { microphoneChosen, speakerChosen, ringerChosen } = usePhoneActions();
  const micId = useId();
  const speakerId = useId();
  const speakerHelpId = useId();
  const ringerId = useId();
  return (
    <fieldset className="device-settings">
      <legend>Audio devices</legend>
      <div className="field">
        <label className="field-label" htmlFor={micId}>
          Microphone
        </label>
        <select
          id={micId}
          className="field-input"
          value={devices.microphoneId ?? DEFAULT}
          onChange={(event) => microphoneChosen(event.target.value === DEFAULT ? null : event.target.value)}
        >
          <option value={DEFAULT}>System default</option>
          {devices.microphones.map((device) => (
            <option key={device.id} value={device.id}>
              {device.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={speakerId}>
          Speaker
        </label>
        <select
          id={speakerId}
          className="field-input"
          value={devices.speakerId ?? DEFAULT}
          disabled={!devices.speakerSelectable}
          aria-describedby={devices.speakerSelectable ? undefined : speakerHelpId}
          onChange={(event) => speakerChosen(event.target.value === DEFAULT ? null : event.target.value)}
        >
          <option value={DEFAULT}>System default</option>
          {devices.speakers.map((device) => (
            <option key={device.id} value={device.id}>
              {device.label}
            </option>
          ))}
        </select>
        {devices.speakerSelectable ? null : (
          <p id={speakerHelpId} className="field-hint">
            This browser always plays calls on the system’s default speaker.
          </p>
        )}
      </div>
      {devices.speakerSelectable ? (
        <div className="field">
          <label className="field-label" htmlFor={ringerId}>
            Ringer
          </label>
          <select
            id={ringerId}
            className="field-input"
            value={devices.ringerId ?? DEFAULT}
            onChange={(event) => ringerChosen(event.target.value === DEFAULT ? null : event.target.value)}
          >
            <option value={DEFAULT}>Same as speaker</option>
            {devices.speakers.map((device) => (
              <option key={device.id} value={device.id}>
                {device.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <LevelMeter />
    </fieldset>
  );
}
