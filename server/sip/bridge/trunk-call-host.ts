import type { CallCharging } from '../../billing/call-charging';
import type { QueueEngine } from '../queues/queue-engine';
import type { Db } from '../../store/database';
import type { SipConnection } from '../transport/transport';
import type { BridgeHost } from './bridge-host';
import type { BridgedCall } from './bridged-call';
import type { ExternalNumbers } from './external-ring';

/** A call still being set up (outbound, inbound or queued): what the registry asks of it until it is answered. */
export interface CallSetup {
  /** A connection went away: a setup on it stops. */
  connectionClosed(connection: SipConnection): void;
  /** The server is stopping: the setup gives up at once. */
  abort(): void;
}

/**
 * What placing and taking trunk calls need of TrunkCalls beyond BridgeHost: the store, queues,
 * charging and external numbers, and where a new call is registered (so its in-dialog requests
 * and its end find it).
 */
export interface TrunkCallHost extends BridgeHost {
  readonly db: Db;
  /** Where a number assigned to a queue sends its callers; null: such calls are refused. */
  readonly queues: QueueEngine | null;
  /** Priced outbound calls: admitted, charged per increment, ended when credit runs out. */
  readonly charging: CallCharging;
  /** Rings a called user's external numbers beside their phones (null: nobody's ring). */
  readonly externals: ExternalNumbers | null;
  /** The call's browser leg joins the registry; `setup` runs until the call is answered or given up. */
  register(call: BridgedCall, setup: CallSetup): void;
  /** A user's mobile took the call: the bridge forgets it (the dialog and its record go on there). */
  handOff(call: BridgedCall): true;
}
