import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Device, DeviceCreated } from '../../contracts/devices';
import { DeviceAddForm } from './device-add-form';
import { DeviceCredentialsOnce } from './device-credentials-once';
import { DeviceList } from './device-list';
import {
  deviceQueries,
  useAddDevice,
  useRemoveDevice,
  useRenameDevice,
  type DeviceOwner,
} from './device-queries';
import { DeviceRemoveDialog } from './device-remove-dialog';
import { deviceKindLabels } from './device-words';
import { failureMessage, useToaster } from './toast-provider';

type DeviceManagerProps = {
  owner: DeviceOwner;
  /** Whose devices, in sentences: "Agent Two", or "you" on the phone. */
  ownerName: string;
  /** Supervisors and admins add external numbers; users only their own desk phones. */
  allowExternal: boolean;
  /** Whether a device may be renamed and removed here. */
  canChange: (device: Device) => boolean;
  readOnlyNote?: (device: Device) => string | null;
  /** Shown while a new desk phone's credentials are on screen (the dialog's title follows it). */
  onShowingCredentials?: (deviceName: string | null) => void;
  /** The level of the headings inside: one below the dialog's or panel's own. */
  headingLevel: 3 | 4;
};

/**
 * Everything about one user's devices, live: the list with registrations (a 'device' or
 * 'registration' event refetches it), adding (a desk phone's credentials shown once), renaming
 * and removing after a confirmation.
 */
export function DeviceManager({
  owner,
  ownerName,
  allowExternal,
  canChange,
  readOnlyNote,
  onShowingCredentials,
  headingLevel,
}: DeviceManagerProps) {
  const list = useQuery(deviceQueries.list(owner));
  const add = useAddDevice(owner);
  const rename = useRenameDevice(owner);
  const remove = useRemoveDevice(owner);
  const toaster = useToaster();
  const [created, setCreated] = useState<DeviceCreated | null>(null);
  const [removing, setRemoving] = useState<Device | null>(null);
  const [said, setSaid] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const [focusStatus, setFocusStatus] = useState(0);
  // A new key empties the add form after each device added.
  const [formKey, setFormKey] = useState(0);

  // After a removal or the credentials' Done, the button that had focus is gone: the sentence
  // saying what happened takes it.
  useEffect(() => {
    if (focusStatus > 0) statusRef.current?.focus();
  }, [focusStatus]);

  function showCredentials(next: DeviceCreated | null) {
    setCreated(next);
    onShowingCredentials?.(next ? next.device.name : null);
  }

  if (created?.credentials)
    return (
      <DeviceCredentialsOnce
        deviceName={created.device.name}
        credentials={created.credentials}
        onDone={() => {
          showCredentials(null);
          setFocusStatus((count) => count + 1);
        }}
      />
    );

  return (
    <div className="device-manager">
      <p ref={statusRef} role="status" className="device-status" tabIndex={-1}>
        {said}
      </p>
      {list.isPending ? (
        <p className="loading-line">
          <span className="spinner" aria-hidden="true" />
          Loading the devices…
        </p>
      ) : list.isError && !list.data ? (
        <div role="alert" className="panel-error">
          <p>The devices could not be loaded: {failureMessage(list.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <DeviceList
          list={list.data}
          ownerName={ownerName}
          canChange={canChange}
          readOnlyNote={readOnlyNote}
          headingLevel={headingLevel}
          onRemove={setRemoving}
          onRename={(device, name) =>
            rename.mutateAsync(
              { deviceId: device.id, name },
              {
                onSuccess: (renamed) => setSaid(`${device.name} is now called ${renamed.name}.`),
                onError: (error) => toaster.failure(`Could not rename ${device.name}`, error),
              },
            )
          }
        />
      )}
      <DeviceAddForm
        key={formKey}
        allowExternal={allowExternal}
        pending={add.isPending}
        failure={add.error}
        onSubmit={(input, showServerErrors) =>
          add.mutate(input, {
            onSuccess(answer) {
              const what = `${deviceKindLabels[answer.device.kind]} ${answer.device.name}`;
              setSaid(`${what} was added.`);
              setFormKey((count) => count + 1);
              if (answer.credentials) showCredentials(answer);
            },
            onError(error) {
              if (showServerErrors(error)) toaster.failure('Could not add the device', error);
            },
          })
        }
      />
      {removing
        ? createPortal(
            <DeviceRemoveDialog
              device={removing}
              ownerName={ownerName}
              pending={remove.isPending}
              onClose={() => setRemoving(null)}
              onConfirm={() =>
                remove.mutate(removing.id, {
                  onSuccess() {
                    setSaid(`${removing.name} was removed.`);
                    setRemoving(null);
                    setFocusStatus((count) => count + 1);
                  },
                  onError: (error) => toaster.failure(`Could not remove ${removing.name}`, error),
                })
              }
            />,
            document.body,
          )
        : null}
    </div>
  );
}
