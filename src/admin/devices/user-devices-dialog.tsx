import { useState } from 'react';
import type { User } from '../../../contracts/users';
import { Dialog } from '../../lib/dialog';
import { DeviceManager } from '../../lib/device-manager';

type UserDevicesDialogProps = { user: User; onClose: () => void };

/**
 * A user's desk phones and external numbers, for supervisors and admins (the only roles that see
 * the Users section): where each is registered, live, with the browser phone's tabs beside them;
 * add, rename and remove.
 */
export function UserDevicesDialog({ user, onClose }: UserDevicesDialogProps) {
  const [credentialsOf, setCredentialsOf] = useState<string | null>(null);
  return (
    <Dialog
      title={
        credentialsOf ? `${credentialsOf} was added` : `Devices of ${user.displayName} (${user.username})`
      }
      onClose={onClose}
    >
      <DeviceManager
        owner={{ userId: user.id }}
        ownerName={user.displayName}
        allowExternal
        headingLevel={3}
        canChange={() => true}
        onShowingCredentials={setCredentialsOf}
      />
    </Dialog>
  );
}
