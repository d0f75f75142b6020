import type { RecordingMode } from '../recordings';
import { roleAtLeast } from '../roles';
import type { CallListPrivacy } from '../users';
import type { Actor } from './console-access';
import { allow, refuse, type Decision } from './decision';

/** Whether the profile lets its user record a call at all (always: the phone starts it on answer). */
export function canStartRecording(mode: RecordingMode | null): Decision {
  if (mode === 'always' || mode === 'on_demand') return allow;
  return refuse(
    mode === null
      ? 'You have no profile, so you may not record calls; ask a supervisor to give you one.'
      : 'Your profile does not record calls; a supervisor can turn recording on in the profile.',
  );
}

/** Stopping before the call ends: only when recording is the agent's choice. */
export function canStopRecording(mode: RecordingMode | null, callLive: boolean): Decision {
  if (!callLive || mode !== 'always') return allow;
  return refuse(
    'Your profile records every call, so the recording cannot be stopped; pause it while the customer gives payment details.',
  );
}

/** What policy needs to know of a recorded call and of the person asking. */
export type RecordedCall = {
  /** The two users of the call (null for a customer on a trunk). */
  partyIds: (number | null)[];
  /** Whether a party of the call is in the asking operator's barge group. */
  partyInBargeGroup: boolean;
};

/**
 * Who may list, play and download a call's recordings, as call history is shown: supervisors and
 * admins every call; operators the calls of their barge group's members, and their own; agents
 * their own calls, unless their call-list privacy hides the other party (`none`).
 */
export function canHearRecording(actor: Actor, privacy: CallListPrivacy, call: RecordedCall): Decision {
  if (roleAtLeast(actor.role, 'supervisor')) return allow;
  const own = call.partyIds.includes(actor.id);
  if (actor.role === 'operator' && call.partyInBargeGroup) return allow;
  if (!own)
    return refuse(
      actor.role === 'operator'
        ? 'Operators may hear only the recordings of their own calls and of their barge group’s members.'
        : 'You may hear only the recordings of your own calls.',
    );
  if (privacy === 'none')
    return refuse(
      'Your call-list privacy hides the other party of your calls, so their recordings are not offered to you.',
    );
  return allow;
}

export function canDeleteRecording(actor: Actor): Decision {
  if (actor.role === 'admin') return allow;
  return refuse('Only an admin may delete a recording.');
}
