import type { Device, DeviceList as DeviceListData } from '../../contracts/devices';
import { deviceUpdateSchema } from '../../contracts/devices';
import { deviceAddress, deviceKindLabels, describeRegistration } from './device-words';
import { InlineNameEditor } from './inline-name-editor';
import './devices.css';

const deviceNameRule = deviceUpdateSchema.shape.name;

type DeviceListProps = {
  list: DeviceListData;
  /** Who they belong to, in sentences: "Agent Two", "you". */
  ownerName: string;
  /** Whether this device may be renamed and removed here. */
  canChange: (device: Device) => boolean;
  onRename: (device: Device, name: string) => Promise<unknown>;
  onRemove: (device: Device) => void;
  /** Said under a device that cannot be changed here (who can). */
  readOnlyNote?: (device: Device) => string | null;
  /** The level of the "Browser phone" heading: one below the heading the list sits under. */
  headingLevel: 3 | 4;
};

function DeviceState({ device }: { device: Device }) {
  if (device.kind === 'external_number')
    return <p className="device-state">Rings along with the browser phone when a call comes in.</p>;
  if (device.registrations.length === 0)
    return (
      <p className="device-state">
        <span className="device-badge device-badge-off">Not registered</span>
      </p>
    );
  return (
    <div className="device-state">
      <span className="device-badge device-badge-on">Registered</span>
      <ul className="device-registrations" aria-label={`Where ${device.name} is registered`}>
        {device.registrations.map((registration) => (
          <li key={`${registration.transport}-${registration.remoteAddress}-${registration.since}`}>
            {describeRegistration(registration)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A user's desk phones and external numbers with where each is registered, then the browser
 * phone's signed-in tabs; rename in place, remove through the caller's confirmation.
 */
export function DeviceList({
  list,
  ownerName,
  canChange,
  onRename,
  onRemove,
  readOnlyNote,
  headingLevel,
}: DeviceListProps) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const tabs = list.browser.registrations;
  return (
    <div className="device-list">
      {list.items.length === 0 ? (
        <p className="empty-state">
          {ownerName === 'you' ? 'You have' : `${ownerName} has`} no desk phones or external numbers.
        </p>
      ) : (
        <ul className="plain-list device-items" aria-label="Devices">
          {list.items.map((device) => {
            const changeable = canChange(device);
            const note = changeable ? null : (readOnlyNote?.(device) ?? null);
            return (
              <li
                key={device.id}
                className="device-item"
                aria-label={`${deviceKindLabels[device.kind]} ${device.name}`}
              >
                <div className="device-heading">
                  <InlineNameEditor
                    value={device.name}
                    what={deviceKindLabels[device.kind].toLowerCase()}
                    schema={deviceNameRule}
                    disabled={!changeable}
                    onSave={(name) => onRename(device, name)}
                  />
                  <span className="device-kind">{deviceKindLabels[device.kind]}</span>
                  {changeable ? (
                    <button
                      type="button"
                      className="button button-secondary button-small device-remove"
                      aria-label={`Remove ${device.name}`}
                      onClick={() => onRemove(device)}
                    >
                      Remove
                    </button>
                  ) : null}
                </div>
                <p className="device-address">{deviceAddress(device)}</p>
                <DeviceState device={device} />
                {note ? <p className="read-only-note">{note}</p> : null}
              </li>
            );
          })}
        </ul>
      )}
      <section className="device-browser" aria-label="Browser phone">
        <Heading>Browser phone</Heading>
        {tabs.length === 0 ? (
          <p className="device-state">
            <span className="device-badge device-badge-off">Not signed in</span> No browser tab has the phone
            signed in.
          </p>
        ) : (
          <div className="device-state">
            <span className="device-badge device-badge-on">Signed in</span>{' '}
            {tabs.length === 1 ? 'in 1 tab' : `in ${tabs.length} tabs`}
            <ul className="device-registrations" aria-label="Where the browser phone is signed in">
              {tabs.map((registration) => (
                <li key={`${registration.transport}-${registration.remoteAddress}-${registration.since}`}>
                  {describeRegistration(registration)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}
