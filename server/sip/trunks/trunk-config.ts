import type { NumberFormat, TrunkStatus, TrunkTransport } from '../../../contracts/trunks';

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

/** Where the edge looks up which user or group an E.164 number rings (the store, cached). */
export interface NumberSource {
  /** Null when the number is not ours or assigned to nobody. */
  assignmentOf(
    e164: string,
  ): Promise<{ kind: 'user'; userId: number } | { kind: 'group'; groupId: number } | null>;
}

/** What the console shows of each trunk, kept by the edge's trunk links. */
export interface TrunkStatusBoard {
  statusOf(trunkId: number): TrunkStatus;
}
