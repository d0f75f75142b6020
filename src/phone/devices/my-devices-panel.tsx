import { useId, useState } from 'react';
import type { Device } from '../../../contracts/devices';
import { DeviceManager } from '../../lib/device-manager';
import './my-devices.css';

const yours = (device: Device) => device.kind === 'sip_phone';

const externalNote = (device: Device) =>
  device.kind === 'external_number'
    ? 'A supervisor manages external numbers; ask one to change or remove this one.'
    : null;

/**
 * "My devices", opened from the phone's settings: the signed-in user's desk phones (add one, its
 * credentials shown once; rename; remove) and, read only, the external numbers a supervisor gave
 * them, each with where it is registered, live.
 */
export function MyDevicesPanel() {
  const [open, setOpen] = useState(false);
  const [credentialsOf, setCredentialsOf] = useState<string | null>(null);
  const regionId = useId();
  const headingId = useId();
  return (
    <div className="my-devices">
      <button
        type="button"
        className="button button-secondary"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => setOpen((was) => !was)}
      >
        My devices
      </button>
      {open ? (
        <section id={regionId} className="my-devices-panel" aria-labelledby={headingId}>
          <h3 id={headingId}>{credentialsOf ? `${credentialsOf} was added` : 'My devices'}</h3>
          {credentialsOf ? null : (
            <p className="field-hint">
              Desk phones ring with this browser phone and can place calls as you. You may add your own desk
              phones here.
            </p>
          )}
          <DeviceManager
            owner="me"
            ownerName="you"
            allowExternal={false}
            headingLevel={4}
            canChange={yours}
            readOnlyNote={externalNote}
            onShowingCredentials={setCredentialsOf}
          />
        </section>
      ) : null}
    </div>
  );
}
