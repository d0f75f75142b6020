import type { Device } from '../../contracts/devices';
import { ConfirmDialog } from './confirm-dialog';
import { removalConsequence } from './device-words';

type DeviceRemoveDialogProps = {
  device: Device;
  /** Whose device, in the sentence: "Agent Two", "you". */
  ownerName: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
};

/** Asks before removing a device, saying what it does (a desk phone is signed out at once). */
export function DeviceRemoveDialog({
  device,
  ownerName,
  pending,
  onConfirm,
  onClose,
}: DeviceRemoveDialogProps) {
  return (
    <ConfirmDialog
      title={`Remove ${device.name}?`}
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={pending}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>{removalConsequence(device, ownerName)} This cannot be undone.</p>
    </ConfirmDialog>
  );
}
