import type { EdgeContext } from '../edge-context';
import { partyOf } from '../proxy/call-parties';
import type { Binding } from '../registrar/location-service';
import { phoneMedia } from './agent-media';
import type { RingTarget } from './bridge-host';

/**
 * The phones a bridged call rings: live bindings of the users `wanted` picks, browsers and desk
 * phones alike (each with the media it speaks), whose profile may take calls (`call`) and has a
 * channel left.
 */
export async function ringTargets(
  context: EdgeContext,
  wanted: (userId: number) => boolean | Promise<boolean>,
): Promise<RingTarget[]> {
  const now = Date.now();
  const byUser = new Map<number, Binding[]>();
  for (const binding of context.location.all()) {
    if (binding.connection.closed || binding.expiresAt <= now) continue;
    const list = byUser.get(binding.userId) ?? [];
    list.push(binding);
    byUser.set(binding.userId, list);
  }
  const targets: RingTarget[] = [];
  for (const [userId, bindings] of byUser) {
    if (!(await wanted(userId))) continue;
    const first = bindings[0];
    if (!first) continue;
    const account = await context.accounts.byUsername(first.username);
    const profile = account?.profile;
    if (!account || !profile?.flags.includes('call')) continue;
    if (context.dialogs.channelsInUse(profile.id) >= profile.channelLimit) continue;
    for (const binding of bindings)
      targets.push({
        binding,
        media: phoneMedia(binding),
        party: partyOf(account),
        profileId: profile.id,
      });
  }
  return targets;
}
