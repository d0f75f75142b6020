/**
 * Days as the contact center counts them: from midnight to midnight in the server's time zone
 * (set TZ for the call center's own).
 */
export function dayRange(day?: string): { from: Date; to: Date; day: string } {
  const base = day ? parseDay(day) : new Date();
  const from = new Date(base.getFullYear(), base.getMonth(), base.getDate());
  const to = new Date(base.getFullYear(), base.getMonth(), base.getDate() + 1);
  return { from, to, day: formatDay(from) };
}

export const startOfToday = (): Date => dayRange().from;

function parseDay(text: string): Date {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** `2026-12-06` for a local date. */
export function formatDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
