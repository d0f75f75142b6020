import type { CallRecord } from '../../../contracts/calls';

export const CSV_HEADER = [
  'id',
  'call_id',
  'from',
  'from_name',
  'to',
  'to_name',
  'caller_profile',
  'callee_profile',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'disposition',
  'reason',
  'monitoring',
  'direction',
  'number',
  'trunk',
  'charge',
  'currency',
];

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula is prefixed with
 * an apostrophe, so an exported caller name cannot execute anything.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null)[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function callCsvLine(call: CallRecord): string {
  const duration =
    call.answeredAt && call.endedAt
      ? Math.round((Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000)
      : null;
  const monitoring = call.monitoring.map((m) => `${m.byUsername}:${m.mode}@${m.startedAt}`).join(' ');
  return csvLine([
    call.id,
    call.callId,
    call.from,
    call.fromName,
    call.to,
    call.toName,
    call.callerProfile,
    call.calleeProfile,
    call.startedAt,
    call.answeredAt,
    call.endedAt,
    duration,
    call.disposition,
    call.reason,
    monitoring || null,
    call.direction,
    call.number,
    call.trunk,
    call.charge?.amount ?? null,
    call.charge?.currency ?? null,
  ]);
}
