import type { Flag } from '../../contracts/profiles';

/** How a profile's flags read in the UI. */
export const flagLabels: Record<Flag, string> = {
  call: 'Place calls',
  transfer: 'Transfer',
  listen: 'Listen',
  whisper: 'Whisper',
  barge: 'Barge in',
  auto_answer: 'Auto answer',
  external: 'Outside calls',
  international: 'International',
};
