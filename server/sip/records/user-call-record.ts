import type { NewCall } from '../../store/calls-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';

/** How a call from a user was addressed: its Call-ID, the From URI, the dialled user and the domain. */
export type UserCallAddress = { callId: string; fromUri: string; target: string; host: string };

/**
 * The record of a call a user places to another user (or to a name nobody has: `callee` null),
 * as the built-in edge writes it and as Kamailio's dialog reports write it: both sides' names and
 * profiles from the directory, the callee's URI by extension.
 */
export function userCallRecord(
  caller: SipAccount,
  callee: SipAccount | null,
  call: UserCallAddress,
): NewCall {
  return {
    callId: call.callId,
    fromUri: call.fromUri,
    fromName: caller.displayName,
    fromUserId: caller.userId,
    toUri: `sip:${callee?.extension ?? call.target}@${call.host}`,
    toName: callee?.displayName ?? null,
    toUserId: callee?.userId ?? null,
    callerProfileId: caller.profile?.id ?? null,
    callerProfile: caller.profile?.name ?? null,
    calleeProfileId: callee?.profile?.id ?? null,
    calleeProfile: callee?.profile?.name ?? null,
  };
}
