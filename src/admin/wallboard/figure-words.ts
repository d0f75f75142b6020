import { formatClock } from '../../lib/format-time';

/** "87 %", or a dash before any call was answered today. */
export const percentText = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

/** "2:05" (minutes and seconds), or a dash when there is nothing to measure. */
export const secondsClock = (seconds: number | null) =>
  seconds === null ? '—' : formatClock(seconds * 1000);
