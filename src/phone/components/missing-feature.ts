import type { Flag } from '../../../contracts/profiles';

/** Why a control is off: the profile lacks the feature. */
export function missingFeatureSentence(flag: Flag, profileName: string | null): string {
  const profile = profileName ? `Your profile ${profileName}` : 'You have no SIP profile, so it';
  switch (flag) {
    case 'call':
      return `${profile} does not include placing calls (the “call” feature). You can still answer calls; ask a supervisor to add it.`;
    case 'transfer':
      return `${profile} does not include transferring calls (the “transfer” feature); ask a supervisor to add it.`;
    default:
      return `${profile} does not include the “${flag}” feature.`;
  }
}
