import type { DeviceCredentialRecord, ExternalNumberRecord } from '../../store/devices-repository';

/**
 * Where the edge finds users' devices: desk phones by their own digest username, and the external
 * numbers an incoming call to a user also rings. The server's DeviceDirectory keeps them in memory.
 */
export interface DeviceLookup {
  phoneByUsername(sipUsername: string): Promise<DeviceCredentialRecord | null>;
  /** A desk phone by its id (the registrar marks bindings with it). */
  phoneById(id: number): Promise<DeviceCredentialRecord | null>;
  numbersOf(userId: number): Promise<ExternalNumberRecord[]>;
}

/** For an edge built without devices: nobody has any. */
export const noDevices: DeviceLookup = {
  phoneByUsername: () => Promise.resolve(null),
  phoneById: () => Promise.resolve(null),
  numbersOf: () => Promise.resolve([]),
};
