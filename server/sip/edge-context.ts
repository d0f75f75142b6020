import type { Config } from '../config';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { MediaBridge } from '../media/media-bridge';
import type { AccountLookup, WebSessions } from './auth/account-lookup';
import type { Authenticator } from './auth/authenticator';
import { buildResponse } from './message/build-response';
import type { HeaderInit } from './message/sip-message';
import type { SipRequest } from './message/sip-message';
import type { CallDialog, DialogRegistry, DialogSide } from './dialogs/call-dialog';
import type { EdgeAddress } from './edge-address';
import type { CallRecorder } from './records/call-recorder';
import type { LocationService } from './registrar/location-service';
import type { ServerTransaction } from './transaction/server-transaction';
import type { TransactionLayer } from './transaction/transaction-layer';
import type { TrunkRouter } from './trunks/trunk-config';

/** The parts of the edge its request handlers share. */
export interface EdgeContext {
  config: Config;
  log: Logger;
  events: EventBus;
  layer: TransactionLayer;
  location: LocationService;
  accounts: AccountLookup;
  sessions: WebSessions;
  auth: Authenticator;
  dialogs: DialogRegistry;
  recorder: CallRecorder;
  address: EdgeAddress;
  /** The trunks (routes, the trunk a request came from, their connections); null without any source. */
  trunks: TrunkRouter | null;
  /** rtpengine, for calls between a browser and a desk phone (none: they are proxied without it). */
  media?: MediaBridge;
  /** INVITEs being forwarded, by their server transaction: what a CANCEL stops. */
  cancellables: Map<ServerTransaction, () => void>;
  /** Checks a mode change inside a monitor session (null: not one). */
  monitorModeChange(dialog: CallDialog, sender: DialogSide, request: SipRequest): Promise<ModeChange | null>;
}

/** A monitor session's mode change as the monitoring part of the edge judged it. */
export type ModeChange = { allowed: false; reason: string } | { allowed: true; mark: string; apply(): void };

/** Answers a request on its server transaction with a readable reason phrase. */
export function reply(
  transaction: ServerTransaction,
  status: number,
  reason: string,
  headers?: HeaderInit,
): void {
  transaction.respond(buildResponse(transaction.request, status, reason, { headers }));
}
