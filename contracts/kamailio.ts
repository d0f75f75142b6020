import { z } from 'zod';

/**
 * What Kamailio (deploy/kamailio/kamailio.cfg) sends to a Switchboard server's internal
 * endpoints, and what it is answered. Kamailio builds these bodies with jansson and reads the
 * answers with it; the header below carries the shared secret (KAMAILIO_SHARED_SECRET).
 */
export const KAMAILIO_SECRET_HEADER = 'X-Kamailio-Secret';

const sipText = (name: string, max = 1024) =>
  z
    .string({ error: `${name} must be a string` })
    .max(max, { error: `${name} must be at most ${max} characters` });

/** Asked before Kamailio routes an INVITE, a REGISTER or an in-dialog request with a monitor mark. */
export const kamailioPolicyRequestSchema = z.strictObject({
  method: z
    .string({ error: 'method must be a SIP method' })
    .regex(/^[A-Z]{2,16}$/, { error: 'method must be a SIP method such as INVITE' }),
  /** The Switchboard user the request authenticated as (auth_db's switchboard_user, or the ephemeral name's user). */
  user: sipText('user', 128).min(1, { error: 'user must not be empty' }),
  /** The digest username as sent: an ephemeral one is checked for its credential generation. */
  authUsername: sipText('authUsername', 256).optional(),
  fromUri: sipText('fromUri'),
  toUri: sipText('toUri'),
  requestUri: sipText('requestUri'),
  callId: sipText('callId', 256).min(1, { error: 'callId must not be empty' }),
  /** The client's address as Kamailio saw it, `ip:port`. */
  source: sipText('source', 128),
  /** The monitor mark the client put on the request (X-Switchboard-Monitor), if any. */
  monitor: sipText('monitor', 512).nullable().optional(),
});
export type KamailioPolicyRequest = z.infer<typeof kamailioPolicyRequestSchema>;

/** Allowed (with the monitor mark to put on the forwarded request, if any), or the SIP status and reason phrase to answer. */
export type KamailioPolicyAnswer =
  { allow: true; monitorMark?: string } | { allow: false; status: number; reason: string };

/** Kamailio's dialog module events: the INVITE was routed, the call was answered, it ended. */
export const kamailioDialogEventSchema = z.strictObject({
  event: z.enum(['start', 'answer', 'end'], { error: 'event must be start, answer or end' }),
  callId: sipText('callId', 256).min(1, { error: 'callId must not be empty' }),
  /** The caller, as the policy answer for the INVITE named them. */
  user: sipText('user', 128).min(1, { error: 'user must not be empty' }),
  fromUri: sipText('fromUri'),
  toUri: sipText('toUri'),
  requestUri: sipText('requestUri'),
  /** `end`: the final status when the call was never answered (487 for a cancelled one), else 200 or absent. */
  status: z.coerce
    .number({ error: 'status must be a SIP status code' })
    .int({ error: 'status must be a SIP status code' })
    .min(100, { error: 'status must be a SIP status code' })
    .max(699, { error: 'status must be a SIP status code' })
    .optional(),
  reason: sipText('reason', 256).optional(),
  /** `start` of a monitor session: the mark the policy allowed. */
  monitor: sipText('monitor', 512).nullable().optional(),
  /** `start`: the instance that admitted the call and its start time, so its calls end with it. */
  instance: sipText('instance', 128).optional(),
  boot: z.coerce
    .number({ error: 'boot must be a Unix time in seconds' })
    .int({ error: 'boot must be a Unix time in seconds' })
    .nonnegative({ error: 'boot must be a Unix time in seconds' })
    .optional(),
});
export type KamailioDialogEvent = z.infer<typeof kamailioDialogEventSchema>;

/** After a REGISTER Kamailio saved: how many Contacts the address has now (0: signed out). */
export const kamailioRegistrationEventSchema = z.strictObject({
  /** The Switchboard user the REGISTER authenticated as. */
  user: sipText('user', 128).min(1, { error: 'user must not be empty' }),
  /** The address registered: the user's name or a desk phone's SIP username. */
  aor: sipText('aor', 256).min(1, { error: 'aor must not be empty' }),
  state: z.enum(['registered', 'unregistered'], { error: 'state must be registered or unregistered' }),
  contacts: z.coerce
    .number({ error: 'contacts must be a count' })
    .int({ error: 'contacts must be a count' })
    .min(0, { error: 'contacts must be a count' }),
  instance: sipText('instance', 128).optional(),
});
export type KamailioRegistrationEvent = z.infer<typeof kamailioRegistrationEventSchema>;

/**
 * Sent by each Kamailio instance at start and every `interval` seconds: a start time newer than
 * the last one heard ends the calls of its previous run; silence past KAMAILIO_SILENCE_S ends all.
 */
export const kamailioKeepaliveSchema = z.strictObject({
  instance: sipText('instance', 128).min(1, { error: 'instance must not be empty' }),
  boot: z.coerce
    .number({ error: 'boot must be a Unix time in seconds' })
    .int({ error: 'boot must be a Unix time in seconds' })
    .nonnegative({ error: 'boot must be a Unix time in seconds' }),
  interval: z.coerce
    .number({ error: 'interval must be a number of seconds' })
    .int({ error: 'interval must be a number of seconds' })
    .min(1, { error: 'interval must be at least 1 second' })
    .max(3600, { error: 'interval must be at most 3600 seconds' })
    .optional(),
});
export type KamailioKeepalive = z.infer<typeof kamailioKeepaliveSchema>;
