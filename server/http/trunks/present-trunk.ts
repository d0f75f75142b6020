import type { Trunk, TrunkList, TrunkStatus } from '../../../contracts/trunks';
import type { MediaBridgeStatus } from '../../media/media-bridge';
import type { TrunkStatusBoard } from '../../sip/trunks/trunk-config';
import type { TrunkRecord } from '../../store/trunks-repository';

/** What the Trunks screen says when no media bridge is configured at all. */
export const NO_MEDIA_BRIDGE =
  "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port";

/** A trunk's status without trunk links to ask: not checked yet, or switched off. */
export const statusWithoutEdge = (trunk: { enabled: boolean }): TrunkStatus => ({
  state: trunk.enabled ? 'unknown' : 'disabled',
  roundTripMs: null,
  checkedAt: null,
  lastError: null,
  registration: null,
});

/** The edge's status of an enabled trunk; a switched-off one is `disabled`, whatever its link says. */
export function statusOf(trunk: TrunkRecord, board: TrunkStatusBoard | undefined): TrunkStatus {
  return board && trunk.enabled ? board.statusOf(trunk.id) : statusWithoutEdge(trunk);
}

/** A trunk as the API shows it: whether a password is stored, never the password or its seal. */
export function presentTrunk(trunk: TrunkRecord, status: TrunkStatus): Trunk {
  return {
    id: trunk.id,
    name: trunk.name,
    host: trunk.host,
    port: trunk.port,
    transport: trunk.transport,
    auth:
      trunk.auth.kind === 'register'
        ? { kind: 'register', username: trunk.auth.username, hasPassword: trunk.auth.passwordSealed !== '' }
        : { kind: 'ip', addresses: trunk.auth.addresses },
    callerId: trunk.callerId,
    numberFormat: trunk.numberFormat,
    prefixes: trunk.prefixes,
    priority: trunk.priority,
    enabled: trunk.enabled,
    status,
    createdAt: trunk.createdAt.toISOString(),
    updatedAt: trunk.updatedAt.toISOString(),
  };
}

/** Whether trunk calls can have media now, with the sentence that says what to do when not. */
export function mediaReadiness(media: { status(): MediaBridgeStatus } | undefined): TrunkList['media'] {
  if (!media) return { ready: false, problem: NO_MEDIA_BRIDGE };
  const status = media.status();
  if (status.state === 'running') return { ready: true, problem: null };
  return {
    ready: false,
    problem: status.problem ?? 'The media bridge (rtpengine) is starting; trunk calls work once it runs.',
  };
}
