import type { Disposition } from '../../../contracts/calls';

/** How an unanswered INVITE's final status reads in the call history. */
export function dispositionForStatus(status: number): Disposition {
  if (status >= 200 && status < 300) return 'answered';
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'missed';
  if (status >= 500 && status < 600) return 'failed';
  if (status === 404 || status === 410 || status === 484) return 'failed';
  return 'rejected';
}

/**
 * The response a forking proxy passes on when no branch answered (RFC 3261 16.7, step 6,
 * simplified): a 6xx, else a busy, else the lowest 4xx that is not a mere "no answer",
 * else the first.
 */
export function bestFinalStatus(statuses: readonly number[]): number {
  const global = statuses.find((s) => s >= 600);
  if (global !== undefined) return global;
  if (statuses.includes(486)) return 486;
  const weak = new Set([408, 480, 487, 503]);
  const strong = statuses.filter((s) => s >= 400 && s < 500 && !weak.has(s)).sort((a, b) => a - b);
  return strong[0] ?? statuses[0] ?? 480;
}

/**
 * Whether a BYE's Reason headers say the call never had an audio path (the phone's
 * `SIP;cause=488;text="no-media"`): the call is recorded as `no-media`, not as answered.
 */
export function byeSaysNoMedia(reasons: readonly string[]): boolean {
  return reasons.some((reason) => /^\s*SIP\s*;.*\btext\s*=\s*"no-media"/i.test(reason));
}

/**
 * The Reason of a CANCEL sent to the phones still ringing when another device of the user answered
 * (RFC 3326): phones show "answered elsewhere" instead of a missed call.
 */
export const ANSWERED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';
