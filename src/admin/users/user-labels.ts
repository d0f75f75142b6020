import type { CallListPrivacy } from '../../../contracts/users';

export const privacyLabels: Record<CallListPrivacy, string> = {
  complete: 'Complete numbers',
  shortened: 'Shortened (last digits masked)',
  none: 'No numbers',
};
