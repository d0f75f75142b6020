import type { Seat } from '../../contracts/sip';
import type { CallDialog, DialogRegistry } from './dialogs/call-dialog';
import type { SipListening } from './edge-listen';
import { canMix, type Binding, type LocationService } from './registrar/location-service';
import type { LiveDialog, SipControl } from './sip-control';

/** How long a connection whose registrations were dropped stays open for the phone to finish. */
const DROPPED_CONNECTION_CLOSE_MS = 2000;

/**
 * What the HTTP API may ask of the edge (seats, live calls, dropping registrations), read from
 * its bindings and dialogs. `listening` gives the ports once the edge listens.
 */
export function createSipControl(
  location: LocationService,
  dialogs: DialogRegistry,
  listening: () => SipListening | null,
): SipControl {
  /**
   * A dropped registration ends at once (no call is offered to it); its connection closes a
   * moment later, so a phone that is signing out by itself (its sign-out is what dropped it)
   * finishes its un-REGISTER on an open socket instead of writing into a closing one.
   */
  const dropBinding = (binding: Binding): void => {
    location.remove(binding);
    const { connection } = binding;
    const closeIfUnused = () => {
      if (location.ofConnection(connection.id).length === 0) connection.close();
    };
    setTimeout(closeIfUnused, DROPPED_CONNECTION_CLOSE_MS).unref();
  };

  return {
    listSeats: () => [...location.all()].sort((a, b) => a.since - b.since).map(presentSeat),
    dropSeat(id) {
      const binding = location.get(id);
      if (!binding) return null;
      dropBinding(binding);
      return presentSeat(binding);
    },
    dropUser(userId) {
      for (const binding of location.ofUser(userId, 0)) dropBinding(binding);
    },
    liveDialogs: () => dialogs.all().flatMap(presentDialog),
    phonesOf(userId) {
      const bindings = location.ofUser(userId);
      return { registered: bindings.length > 0, canMix: bindings.some(canMix) };
    },
    registrationsOf: (userId) =>
      location
        .ofUser(userId)
        .sort((a, b) => a.since - b.since)
        .map((binding) => ({
          deviceId: binding.deviceId,
          transport: binding.connection.transport,
          remoteAddress: binding.remoteAddress,
          userAgent: binding.userAgent,
          since: new Date(binding.since).toISOString(),
          expiresAt: new Date(binding.expiresAt).toISOString(),
        })),
    listeningPorts: listening,
    dropDevice(deviceId) {
      for (const binding of [...location.all()]) if (binding.deviceId === deviceId) dropBinding(binding);
    },
  };
}

function presentSeat(binding: Binding): Seat {
  return {
    id: binding.id,
    userId: binding.userId,
    username: binding.username,
    displayName: binding.displayName,
    extension: binding.extension,
    profileId: binding.profileId,
    profileName: binding.profileName,
    since: new Date(binding.since).toISOString(),
    expiresAt: new Date(binding.expiresAt).toISOString(),
    userAgent: binding.userAgent,
    remoteAddress: binding.remoteAddress,
  };
}

function presentDialog(dialog: CallDialog): LiveDialog[] {
  if (dialog.state === 'ended') return [];
  return [
    {
      id: dialog.id,
      callId: dialog.callId,
      state: dialog.state,
      startedAt: dialog.startedAt,
      answeredAt: dialog.answeredAt,
      caller: dialog.parties.caller,
      callee: dialog.parties.callee,
      monitor: dialog.monitor ? { targetId: dialog.monitor.target.id, mode: dialog.monitor.mode } : null,
    },
  ];
}
