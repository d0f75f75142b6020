import type { MonitorMode, Monitoring } from '../../../contracts/calls';
import { formatDuration } from '../../lib/format-time';

const modeVerbs: Record<MonitorMode, string> = {
  listen: 'listened',
  whisper: 'whispered',
  barge: 'barged in',
};

/** One monitor session of a call in words: "operator listened, then whispered (1 min 12 s)". */
export function monitoringLine(session: Monitoring): string {
  const verbs = [session.mode, ...session.changes.map((change) => change.mode)].map(
    (mode) => modeVerbs[mode],
  );
  const length = session.endedAt
    ? ` (${formatDuration(Date.parse(session.endedAt) - Date.parse(session.startedAt))})`
    : ' (now)';
  return `${session.byUsername} ${verbs.join(', then ')}${length}`;
}
