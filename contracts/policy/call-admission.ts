import type { Flag } from '../profiles';
import { allow, refuse, type Decision } from './decision';

export type ProfileLoad = {
  name: string;
  flags: readonly Flag[];
  channelLimit: number;
  channelsInUse: number;
};

/**
 * The caller's profile allows calling and both profiles have a channel left. A call between two
 * users of one profile takes one of its channels.
 */
export function canPlaceCall(caller: ProfileLoad | null, callee: ProfileLoad | null): Decision {
  if (!caller) return refuse('You have no SIP profile; ask an administrator to give you one');
  if (!caller.flags.includes('call')) return refuse('Your profile does not allow outgoing calls');
  if (caller.channelsInUse >= caller.channelLimit)
    return refuse(`All ${caller.channelLimit} channels of profile ${caller.name} are in use`);
  if (callee && callee.name !== caller.name && callee.channelsInUse >= callee.channelLimit)
    return refuse(`All ${callee.channelLimit} channels of profile ${callee.name} are in use`);
  return allow;
}

/** Seats: how many of a profile's users may be registered at once. */
export function canTakeSeat(profile: { capacity: number; seatsInUse: number }): Decision {
  if (profile.seatsInUse >= profile.capacity)
    return refuse(`Profile capacity reached (${profile.seatsInUse} of ${profile.capacity} signed in)`);
  return allow;
}

/** A transfer (REFER inside a call) needs the `transfer` flag on the sender's profile. */
export function canTransfer(profile: { flags: readonly Flag[] } | null): Decision {
  if (!profile?.flags.includes('transfer')) return refuse('Your profile does not allow transferring calls');
  return allow;
}
