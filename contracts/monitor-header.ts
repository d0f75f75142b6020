import { monitorModes, type MonitorMode } from './calls';

/**
 * The monitor mark on SIP requests. The operator's phone asks with it; the edge strips every
 * mark it did not authorise and puts its own on what it forwards to the agent's phone.
 *
 * - operator → edge, INVITE to the agent: `listen;call=<dialogId>` (`call` optional: the
 *   agent's answered call is taken when there is one).
 * - edge → agent, INVITE: `listen;call-id="<Call-ID of the agent's call>";by="<operator>"`.
 * - operator → edge → agent, INFO in the monitor dialog: `whisper` (a mode change).
 */
export const MONITOR_HEADER = 'X-Switchboard-Monitor';

/** The REGISTER Contact feature tag (RFC 3840 form) of a phone that can mix monitor sessions. */
export const MIX_FEATURE_TAG = '+switchboard.mix';

export type MonitorMark = {
  mode: MonitorMode;
  /** The edge's dialog id of the call to monitor (operator's request). */
  call: string | null;
  /** The SIP Call-ID of the agent's monitored call (edge's mark). */
  callId: string | null;
  /** Who monitors, as the agent's phone may show it (edge's mark). */
  by: string | null;
};

function isMode(value: string): value is MonitorMode {
  return (monitorModes as readonly string[]).includes(value);
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

function unquoted(value: string): string {
  const text = value.trim();
  if (!(text.startsWith('"') && text.endsWith('"') && text.length >= 2)) return text;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Splits on `;` outside double quotes. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (inQuotes && ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ';' && !inQuotes) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Reads a mark; null when it names no known mode (or is not there). */
export function parseMonitorMark(value: string | null | undefined): MonitorMark | null {
  if (!value) return null;
  const [first = '', ...rest] = pieces(value);
  const mode = first.trim().toLowerCase();
  if (!isMode(mode)) return null;
  const mark: MonitorMark = { mode, call: null, callId: null, by: null };
  for (const piece of rest) {
    const eq = piece.indexOf('=');
    if (eq === -1) continue;
    const name = piece.slice(0, eq).trim().toLowerCase();
    const text = unquoted(piece.slice(eq + 1));
    if (name === 'call') mark.call = text;
    else if (name === 'call-id') mark.callId = text;
    else if (name === 'by') mark.by = text;
  }
  return mark;
}

export function formatMonitorMark(mark: Partial<MonitorMark> & { mode: MonitorMode }): string {
  let text: string = mark.mode;
  if (mark.call) text += `;call=${quoted(mark.call)}`;
  if (mark.callId) text += `;call-id=${quoted(mark.callId)}`;
  if (mark.by) text += `;by=${quoted(mark.by)}`;
  return text;
}
