import type { NumberFormat, TrunkStatus, TrunkTransport } from '../../../contracts/trunks';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';

/**
 * A trunk as the edge uses it: the stored row with its password opened (the edge must send it
 * to the carrier). Never leaves the server.
 */
export interface TrunkConfig {
  readonly id: number;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: TrunkTransport;
  readonly auth:
    | { readonly kind: 'register'; readonly username: string; readonly password: string }
    | { readonly kind: 'ip'; readonly addresses: readonly string[] };
  /** E.164, sent as the caller on outbound calls. */
  readonly callerId: string;
  readonly numberFormat: NumberFormat;
  readonly prefixes: readonly string[];
  readonly priority: number;
  readonly enabled: boolean;
}

/** Where the edge reads its trunks from (the store), again after every `trunk` event. */
export interface TrunkSource {
  load(): Promise<TrunkConfig[]>;
}

/** Where a number's calls go: a user's phones, a group's members, or a queue's line. */
export type NumberAssignmentTarget =
  { kind: 'user'; userId: number } | { kind: 'group'; groupId: number } | { kind: 'queue'; queueId: number };

/** Where the edge looks up which user, group or queue an E.164 number rings (the store, cached). */
export interface NumberSource {
  /** Null when the number is not ours or assigned to nobody. */
  assignmentOf(e164: string): Promise<NumberAssignmentTarget | null>;
}

/** What the console shows of each trunk, kept by the edge's trunk links. */
export interface TrunkStatusBoard {
  statusOf(trunkId: number): TrunkStatus;
}

/**
 * The edge's trunks as the call bridge uses them (implemented by TrunkLinks): which trunks serve a
 * number, which trunk a request came from, how to reach one, and its credentials for a challenge.
 */
export interface TrunkRouter {
  /** Enabled trunks serving the number, in the order to try them: longest prefix, then priority; down ones last. */
  routesFor(e164: string): TrunkConfig[];
  /**
   * The trunk a request on this connection comes from: an `ip` trunk whose addresses hold the
   * source, or a `register` trunk whose host resolves to it; null for anyone else.
   */
  trunkOf(connection: SipConnection): TrunkConfig | null;
  /** The connection to send a trunk's requests on (a UDP flow, or a TCP connection opened now). */
  connectionFor(trunk: TrunkConfig): Promise<SipConnection>;
  /**
   * The request again, answering the carrier's 401/407 with the trunk's credentials (new Via
   * branch, CSeq + 1); null when the trunk has no credentials or the challenge is not one to answer.
   */
  answerChallenge(trunk: TrunkConfig, request: SipRequest, challenge: SipResponse): SipRequest | null;
  isUp(trunkId: number): boolean;
  /** Whether any trunk is configured (the media bridge starts when one is). */
  readonly count: number;
}
