import { roleAtLeast } from '../roles';
import type { DeviceKind } from '../devices';
import type { Actor } from './console-access';
import { allow, refuse, type Decision } from './decision';

/** Supervisors and admins see everyone's devices; everyone sees their own. */
export function canReadDevices(actor: Actor, ownerId: number): Decision {
  if (actor.id === ownerId || roleAtLeast(actor.role, 'supervisor')) return allow;
  return refuse("Only supervisors and admins see another user's devices; you may see your own.");
}

/**
 * Adding a device. Supervisors and admins add any to anyone. A user adds desk phones of their own
 * (a phone on their desk is theirs to set up), but not an external number: that rings a number
 * outside through a trunk, on the profile's channels and credit, so a supervisor decides it.
 */
export function canAddDevice(actor: Actor, ownerId: number, kind: DeviceKind): Decision {
  if (roleAtLeast(actor.role, 'supervisor')) return allow;
  if (actor.id !== ownerId)
    return refuse("Only supervisors and admins add devices to another user's account.");
  if (kind === 'external_number')
    return refuse('Only a supervisor or an admin may add an external number; ask one to add it for you.');
  return allow;
}

/** Renaming and removing: supervisors and admins anyone's, a user their own (any kind). */
export function canChangeDevice(actor: Actor, ownerId: number): Decision {
  if (actor.id === ownerId || roleAtLeast(actor.role, 'supervisor')) return allow;
  return refuse("Only supervisors and admins change another user's devices.");
}
