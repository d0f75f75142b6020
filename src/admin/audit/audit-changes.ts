/** One changed key of an audit entry, ready to read: "capacity: 40 → 50". */
export type AuditChangeLine =
  | { kind: 'changed'; key: string; before: string; after: string }
  | { kind: 'set'; key: string; after: string }
  | { kind: 'was'; key: string; before: string }
  | { kind: 'list'; key: string; added: string[]; removed: string[] };

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPrimitiveList = (value: unknown): value is (string | number | boolean)[] =>
  Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item));

/** "channelLimit" → "channel limit". */
export function keyLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** A value as a person reads it. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length ? value.map(showValue).join(', ') : 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * What an entry changed: for an update, only the keys whose values differ (lists as added and
 * removed items); for a creation, what was set; for a deletion, what there was.
 */
export function auditChanges(before: unknown, after: unknown): AuditChangeLine[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const lines: AuditChangeLine[] = [];
    for (const key of keys) {
      const was = before[key];
      const now = after[key];
      if (JSON.stringify(was) === JSON.stringify(now)) continue;
      if (isPrimitiveList(was) && isPrimitiveList(now)) {
        const added = now.filter((item) => !was.includes(item)).map(String);
        const removed = was.filter((item) => !now.includes(item)).map(String);
        lines.push({ kind: 'list', key, added, removed });
      } else lines.push({ kind: 'changed', key, before: showValue(was), after: showValue(now) });
    }
    return lines;
  }
  if (isRecord(after))
    return Object.entries(after).map(([key, value]) => ({ kind: 'set', key, after: showValue(value) }));
  if (isRecord(before))
    return Object.entries(before).map(([key, value]) => ({ kind: 'was', key, before: showValue(value) }));
  if (before === null && after === null) return [];
  return [{ kind: 'changed', key: 'value', before: showValue(before), after: showValue(after) }];
}

/** The name of what an entry is about, from its before or after snapshot. */
export function auditSubjectName(before: unknown, after: unknown): string | null {
  for (const snapshot of [after, before]) {
    if (!isRecord(snapshot)) continue;
    const name = snapshot.name ?? snapshot.username;
    if (typeof name === 'string') return name;
  }
  return null;
}
