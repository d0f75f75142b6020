import type { CallListPrivacy } from '../users';

const MASK = '•';

/**
 * How a number appears in a call list under a user's call-list privacy:
 * complete shows it, shortened masks its last digits, none hides it.
 */
export function presentNumber(value: string, privacy: CallListPrivacy): string {
  if (privacy === 'complete') return value;
  if (privacy === 'none') return 'hidden';
  const masked = Math.min(4, Math.max(1, Math.floor(value.length / 2)));
  return value.slice(0, value.length - masked) + MASK.repeat(masked);
}
