import { z } from 'zod';

/** An ICE server for the phone's RTCPeerConnection (empty by default: loopback/LAN). */
export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

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
  /** The WebSocket path on this same origin, subprotocol `sip` (the built-in edge). */
  wsPath: z.string(),
  /**
   * The SIP edges to use instead, in order (SIP_WS_URLS): ws(s):// URLs or paths on this origin.
   * The phone connects to the first that answers and moves to the next when one fails. Absent or
   * empty: the built-in edge at `wsPath`.
   */
  wsUrls: z.array(z.string()).optional(),
  extension: z.string(),
  displayName: z.string(),
  /** The TURN relay, with credentials that end with these (renewed with them); empty: none. */
  iceServers: z.array(iceServerSchema),
  /** `relay`: use only the relay (RTCPeerConnection iceTransportPolicy), for locked-down sites. */
  iceTransportPolicy: z.enum(['all', 'relay']),
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

/**
 * The Reason a phone puts on its BYE when the call never got an audio path (ICE failed): the
 * edge records the call as `no-media`.
 */
export const NO_MEDIA_REASON = 'SIP;cause=488;text="no-media"';

/** The TURN relay's state (`GET /api/relay`, supervisor and admin). */
export const relayStatusSchema = z.object({
  /** `none`: no relay configured (the phones reach each other directly). */
  mode: z.enum(['none', 'spawn', 'external']),
  /**
   * `running`: it answers; `starting`: spawned, not answering yet; `restarting`: it exited and is
   * started again; `unreachable`: an existing relay that does not answer; `off`: none configured.
   */
  state: z.enum(['off', 'starting', 'running', 'restarting', 'unreachable']),
  /** The URLs the phones are given (for this request's host). */
  urls: z.array(z.string()),
  iceTransportPolicy: z.enum(['all', 'relay']),
  /** Since when it is in this state (ISO date); null when off. */
  since: z.string().nullable(),
  /** How often the spawned relay was restarted after exiting. */
  restarts: z.number().int(),
  /** What went wrong last, as a sentence; null when nothing did. */
  problem: z.string().nullable(),
});
export type RelayStatus = z.infer<typeof relayStatusSchema>;
