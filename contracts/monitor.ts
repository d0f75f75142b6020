import { z } from 'zod';
import { monitorModes } from './calls';

export { monitorModes, type MonitorMode } from './calls';

/** Where a member of the barge group is, as the operator panel shows it. */
export const memberStates = ['offline', 'available', 'ringing', 'on_call'] as const;
export type MemberState = (typeof memberStates)[number];

const modeSchema = z.enum(monitorModes);

/**
 * Per mode: null when the operator may start it on this call now, otherwise the sentence
 * saying why not (the same sentence the SIP edge would refuse with).
 */
export const monitorChecksSchema = z.object({
  listen: z.string().nullable(),
  whisper: z.string().nullable(),
  barge: z.string().nullable(),
});
export type MonitorChecks = z.infer<typeof monitorChecksSchema>;

/** A monitor session running on a call. */
export const liveMonitorSchema = z.object({
  byUserId: z.number().int(),
  byUsername: z.string(),
  byName: z.string(),
  mode: modeSchema,
  since: z.string(),
});
export type LiveMonitor = z.infer<typeof liveMonitorSchema>;

/** A call a member of the barge group is on, ringing or answered. */
export const liveCallSchema = z.object({
  /** The edge's id of the call: what a monitor request names. */
  dialogId: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  state: z.enum(['ringing', 'answered']),
  peer: z.object({ name: z.string().nullable(), number: z.string() }),
  /** When the call started ringing, or when it was answered (ISO date). */
  since: z.string(),
  monitors: z.array(liveMonitorSchema),
  checks: monitorChecksSchema,
});
export type LiveCall = z.infer<typeof liveCallSchema>;

export const boardMemberSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  extension: z.string(),
  state: z.enum(memberStates),
  /** Whether a registered phone of this member can mix a monitor session (says so in REGISTER). */
  canMix: z.boolean(),
  /**
   * Why the operator may not monitor this member at all, whatever their calls (monitoring reaches
   * only down the roles), else null.
   */
  cannotMonitor: z.string().nullable(),
  calls: z.array(liveCallSchema),
});
export type BoardMember = z.infer<typeof boardMemberSchema>;

/** `GET /api/monitor/board`: the operator's barge group, live. */
export const monitorBoardSchema = z.object({
  group: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** The modes the operator's profile allows (its flags). */
  modes: z.object({ listen: z.boolean(), whisper: z.boolean(), barge: z.boolean() }),
  /** Why the operator can monitor nobody at all (no profile, no barge group), else null. */
  notice: z.string().nullable(),
  members: z.array(boardMemberSchema),
});
export type MonitorBoard = z.infer<typeof monitorBoardSchema>;
