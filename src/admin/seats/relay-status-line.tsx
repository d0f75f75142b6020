import { useQuery } from '@tanstack/react-query';
import type { RelayStatus } from '../../../contracts/sip';
import { formatDateTime } from '../../lib/format-time';
import { seatQueries } from './seat-queries';

const stateWords: Record<RelayStatus['state'], string> = {
  off: 'off',
  starting: 'starting',
  running: 'running',
  restarting: 'restarting',
  unreachable: 'not answering',
};

/** The relay in one sentence: what it is, its state and since when, and what went wrong last. */
export function relaySentence(relay: RelayStatus): string {
  const what = relay.mode === 'spawn' ? 'Media relay (coturn on this server)' : 'Media relay';
  const since = relay.since ? ` since ${formatDateTime(relay.since)}` : '';
  const restarts =
    relay.restarts > 0 ? `, restarted ${relay.restarts} ${relay.restarts === 1 ? 'time' : 'times'}` : '';
  const only = relay.iceTransportPolicy === 'relay' ? '; phones use the relay only' : '';
  const problem = relay.problem && relay.state !== 'running' ? ` ${relay.problem}` : '';
  return `${what}: ${stateWords[relay.state]}${since}${restarts}${only}.${problem}`;
}

/** A status line under the seats when a TURN relay is configured; nothing when there is none. */
export function RelayStatusLine() {
  const relay = useQuery(seatQueries.relay());
  if (!relay.data || relay.data.mode === 'none') return null;
  return (
    <p className="screen-summary" role="status" aria-label="Media relay">
      {relaySentence(relay.data)}
    </p>
  );
}
