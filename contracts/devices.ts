import { z } from 'zod';
import { e164Schema } from './phone-numbers';
import { textSchema } from './text';

/**
 * A user's devices beside the browser phone (which every signed-in tab is, without being listed
 * here): a desk SIP phone with credentials of its own, or an external number (a mobile) that an
 * incoming call also rings, through a trunk.
 */
export const deviceKinds = ['sip_phone', 'external_number'] as const;
export type DeviceKind = (typeof deviceKinds)[number];

const deviceNameSchema = textSchema('name')
  .trim()
  .min(1, { error: 'name must not be empty' })
  .max(60, { error: 'name must be at most 60 characters' });

export const deviceCreateSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('sip_phone'), name: deviceNameSchema }).strict(),
    z
      .object({ kind: z.literal('external_number'), name: deviceNameSchema, number: e164Schema('number') })
      .strict(),
  ],
  { error: 'kind must be sip_phone or external_number' },
);
export type DeviceCreate = z.infer<typeof deviceCreateSchema>;

/** Only the name changes; a phone's credentials or a number are replaced by removing and adding. */
export const deviceUpdateSchema = z.object({ name: deviceNameSchema }).strict();
export type DeviceUpdate = z.infer<typeof deviceUpdateSchema>;

/** One registration of a phone at the edge: where it is and until when. */
export const deviceRegistrationSchema = z.object({
  /** `udp`, `tcp`, `ws` or `wss`. */
  transport: z.string(),
  /** The address and port the registration came from. */
  remoteAddress: z.string(),
  userAgent: z.string().nullable(),
  since: z.string(),
  expiresAt: z.string(),
});
export type DeviceRegistration = z.infer<typeof deviceRegistrationSchema>;

export const deviceSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  kind: z.enum(deviceKinds),
  name: z.string(),
  /** A desk phone's SIP username (its password is shown once, at creation); null for a number. */
  sipUsername: z.string().nullable(),
  /** An external number, E.164; null for a desk phone. */
  number: z.string().nullable(),
  /** A desk phone's live registrations (empty: not registered); always empty for a number. */
  registrations: z.array(deviceRegistrationSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;

/** A user's devices, with the browser phone's registrations (signed-in tabs) beside them. */
export const deviceListSchema = z.object({
  items: z.array(deviceSchema),
  browser: z.object({ registrations: z.array(deviceRegistrationSchema) }),
});
export type DeviceList = z.infer<typeof deviceListSchema>;

/** What a desk phone is configured with; in the create answer only, never shown again. */
export const deviceCredentialsSchema = z.object({
  username: z.string(),
  password: z.string(),
  /** The SIP domain (and digest realm) the phone registers in. */
  domain: z.string(),
  /** Registrar and outbound proxy: the server's address and its SIP ports (null: that transport is off). */
  server: z.object({
    host: z.string(),
    udpPort: z.number().int().nullable(),
    tcpPort: z.number().int().nullable(),
  }),
});
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

/** The answer to adding a device: the credentials only for a desk phone. */
export const deviceCreatedSchema = z.object({
  device: deviceSchema,
  credentials: deviceCredentialsSchema.nullable(),
});
export type DeviceCreated = z.infer<typeof deviceCreatedSchema>;

/** Each user has at most this many devices besides the browser phone. */
export const MAX_DEVICES_PER_USER = 10;
