/** The instant a local calendar day (`2026-11-23` from a date input) starts, as ISO. */
export function startOfLocalDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const start = new Date(`${date}T00:00:00`);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

/** The instant after a local day ends (exclusive end of a range), as ISO. */
export function endOfLocalDay(date: string): string | undefined {
  const start = startOfLocalDay(date);
  if (!start) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}
