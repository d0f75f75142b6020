import type { BoardMember, LiveCall, LiveMonitor } from '../../../contracts/monitor';
import { modeDoing } from './monitor-modes';
import { formatClock } from '../../lib/format-time';

const stateWords: Record<BoardMember['state'], string> = {
  offline: 'Offline',
  available: 'Available',
  ringing: 'Ringing',
  on_call: 'On a call',
};

/** "Offline", "Available"; for a member with calls, see `describeCall`. */
export function stateWord(state: BoardMember['state']): string {
  return stateWords[state];
}

/** "Dana Customer (1050)", or the number alone. */
export function peerWithNumber(peer: LiveCall['peer']): string {
  return peer.name ? `${peer.name} (${peer.number})` : peer.number;
}

/** "Ringing — Dana Customer calling", "On a call with Dana Customer (1050) · 1:23". */
export function describeCall(call: LiveCall, now: number): string {
  if (call.state === 'ringing') {
    const who = call.peer.name ?? call.peer.number;
    return call.direction === 'incoming' ? `Ringing — ${who} calling` : `Ringing — calling ${who}`;
  }
  return `On a call with ${peerWithNumber(call.peer)} · ${formatClock(now - Date.parse(call.since))}`;
}

/** "Monitored by you (listening), Sam Supervisor (whispering)". */
export function describeMonitors(monitors: readonly LiveMonitor[], myUserId: number): string | null {
  if (monitors.length === 0) return null;
  const who = monitors.map(
    (monitor) => `${monitor.byUserId === myUserId ? 'you' : monitor.byName} (${modeDoing[monitor.mode]})`,
  );
  return `Monitored by ${who.join(', ')}`;
}
