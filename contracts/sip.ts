import { z } from 'zod';

/** An ICE server for the phone's RTCPeerConnection (empty by default: loopback/LAN). */
export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/**
 * Short-lived SIP credentials for the signed-in web session (`GET /api/sip/credentials`):
 * the phone registers with these, so the browser never keeps the user's password.
 */
export const sipCredentialsSchema = z.object({
  /** `<expiry unix seconds>:<username>`, the digest username. */
  username: z.string(),
  password: z.string(),
  /** When these credentials stop working (ISO date); fetch new ones before. */
  expiresAt: z.string(),
  /** The user's address of record: sip:<authorizationUser>@<domain>. */
  aor: z.string(),
  /** The SIP username (the user part of the address of record). */
  authorizationUser: z.string(),
  realm: z.string(),
  domain: z.string(),
  /** The WebSocket path on this same origin, subprotocol `sip`. */
  wsPath: z.string(),
  extension: z.string(),
  displayName: z.string(),
  iceServers: z.array(iceServerSchema),
  iceGatheringTimeoutMs: z.number().int(),
});
export type SipCredentials = z.infer<typeof sipCredentialsSchema>;

/** One registered device (a binding of the registrar). */
export const seatSchema = z.object({
  id: z.string(),
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  extension: z.string(),
  profileId: z.number().int(),
  profileName: z.string(),
  /** When this device registered (ISO date). */
  since: z.string(),
  /** When the registration runs out unless refreshed (ISO date). */
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  remoteAddress: z.string(),
});
export type Seat = z.infer<typeof seatSchema>;

export const seatListSchema = z.object({ items: z.array(seatSchema) });
export type SeatList = z.infer<typeof seatListSchema>;
