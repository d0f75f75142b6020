import { queryOptions, useMutation } from '@tanstack/react-query';
import {
  deviceCreatedSchema,
  deviceListSchema,
  deviceSchema,
  type DeviceCreate,
} from '../../contracts/devices';
import { apiClient } from './api-client';
import { queryRoots } from './query-keys';

/**
 * Whose devices a screen shows: the console asks for any user's (`/api/users/{id}/devices`), the
 * phone for the signed-in user's own (`/api/me/devices`); the same list, rules and answers.
 */
export type DeviceOwner = { userId: number } | 'me';

function devicesPath(owner: DeviceOwner): string {
  return owner === 'me' ? '/api/me/devices' : `/api/users/${owner.userId}/devices`;
}

/** Devices' query keys: `['devices']` covers every owner, so a 'device' or 'registration' event refreshes them. */
export const deviceQueries = {
  all: () => [queryRoots.devices] as const,
  list: (owner: DeviceOwner) =>
    queryOptions({
      queryKey: [...deviceQueries.all(), owner === 'me' ? 'me' : owner.userId] as const,
      queryFn: ({ signal }) => apiClient.get(devicesPath(owner), { schema: deviceListSchema, signal }),
    }),
};

// The lists refresh through the owner's 'device' live event (useLiveEvents), which the server
// publishes for the console's changes and the phone's own alike.

/** Adds a device; a desk phone's answer holds its password, shown once: nothing keeps the answer. */
export function useAddDevice(owner: DeviceOwner) {
  return useMutation({
    mutationFn: (input: DeviceCreate) =>
      apiClient.post(devicesPath(owner), { body: input, schema: deviceCreatedSchema }),
    gcTime: 0,
  });
}

export function useRenameDevice(owner: DeviceOwner) {
  return useMutation({
    mutationFn: ({ deviceId, name }: { deviceId: number; name: string }) =>
      apiClient.patch(`${devicesPath(owner)}/${deviceId}`, { body: { name }, schema: deviceSchema }),
  });
}

export function useRemoveDevice(owner: DeviceOwner) {
  return useMutation({
    mutationFn: (deviceId: number) => apiClient.delete(`${devicesPath(owner)}/${deviceId}`),
  });
}
