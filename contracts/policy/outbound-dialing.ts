import type { Flag } from '../profiles';
import { allow, refuse, type Decision } from './decision';

/** A dialled phone number read as E.164, and whether it leaves the deployment's country. */
export interface DialledNumber {
  readonly e164: string;
  readonly scope: 'national' | 'international';
}

/** Separators people type or paste inside numbers: spaces, dashes, dots, parentheses, slashes. */
const SEPARATORS = /[\s\-.()/]/g;

/**
 * What an agent dialled, as E.164, or null when it is no phone number (a username, an
 * extension). `+49 30 1234567` and `0049301234567` are international; `030 1234567` is national
 * with its trunk prefix 0 (the default country code is put in front); a run of digits with no
 * prefix, longer than any extension (`minDigits`), is a national number written without it.
 */
export function normaliseDialled(
  dialled: string,
  defaultCountryCode: string,
  minDigits = 6,
): DialledNumber | null {
  const compact = dialled.trim().replace(SEPARATORS, '');
  let digits: string;
  if (/^\+[0-9]+$/.test(compact)) digits = compact.slice(1);
  else if (/^00[1-9][0-9]+$/.test(compact)) digits = compact.slice(2);
  else if (/^0[1-9][0-9]+$/.test(compact)) digits = defaultCountryCode + compact.slice(1);
  else if (/^[1-9][0-9]+$/.test(compact) && compact.length >= minDigits) {
    digits =
      compact.startsWith(defaultCountryCode) && compact.length > 10 ? compact : defaultCountryCode + compact;
  } else return null;
  if (digits.length < 6 || digits.length > 15 || digits.startsWith('0')) return null;
  const e164 = `+${digits}`;
  return { e164, scope: digits.startsWith(defaultCountryCode) ? 'national' : 'international' };
}

/**
 * Calls over a trunk: `external` reaches numbers in the deployment's country, `international`
 * those in any other (besides `call`, which every outgoing call needs).
 */
export function canCallNumber(profile: { flags: readonly Flag[] } | null, number: DialledNumber): Decision {
  if (!profile) return refuse('You have no SIP profile; ask an administrator to give you one');
  if (!profile.flags.includes('call')) return refuse('Your profile does not allow outgoing calls');
  if (number.scope === 'international' && !profile.flags.includes('international'))
    return refuse(`Your profile does not allow international calls (${number.e164})`);
  if (number.scope === 'national' && !profile.flags.includes('external'))
    return refuse(`Your profile does not allow calls to outside numbers (${number.e164})`);
  return allow;
}
