import type { Disposition } from '../../../contracts/calls';
import type { MediaBridge, MediaSide } from '../../media/media-bridge';
import type { EdgeContext } from '../edge-context';
import type { NumberSource, TrunkRouter } from '../trunks/trunk-config';
import type { BridgedCall } from './bridged-call';
import type { Party } from '../dialogs/call-dialog';
import type { Binding } from '../registrar/location-service';

/** A phone a bridged call may ring (a browser or a desk phone): its binding, and whom it belongs to. */
export interface RingTarget {
  binding: Binding;
  /** What the phone speaks: WebRTC (a browser, over WebSocket) or plain RTP (a desk phone, UDP/TCP). */
  media: MediaSide;
  /** The user as the operator panel shows them once they answer. */
  party: Party;
  profileId: number | null;
}

/** How a bridged call ends: its record's disposition and reason, and which legs the edge hangs up. */
export interface CallEnd {
  disposition: Disposition;
  reason: string;
  /** A Reason header value for the BYE to the carrier; omitted: the carrier gets no BYE. */
  byeCarrier?: string;
  /** A Reason header value for the BYE to the agent's phone; omitted: the phone gets no BYE. */
  byeBrowser?: string;
}

/** What outbound, inbound and in-dialog handling of bridged calls share (TrunkCalls implements it). */
export interface BridgeHost {
  readonly context: EdgeContext;
  readonly media: MediaBridge;
  readonly numbers: NumberSource | null;
  trunks(): TrunkRouter | null;
  /** The carrier leg is a dialog now: its requests (BYE, re-INVITE, INFO) find the call. */
  carrierEstablished(call: BridgedCall): void;
  /** A failover moved the call to another trunk: the record says so. */
  trunkChanged(call: BridgedCall): void;
  /** Sends BYE on the carrier leg (once it is a dialog); the answer only ends its transaction. */
  byeCarrier(call: BridgedCall, reason: string): void;
  /** Ends the call once: BYEs as asked, the CallDialog ended with its record, rtpengine's call deleted. */
  finish(call: BridgedCall, end: CallEnd): void;
  /** rtpengine's call `mediaId` is no longer needed (its phones did not answer); tracked like `finish`'s. */
  deleteMedia(mediaId: string): void;
  /** The phones (browsers and desk phones) a user picked by `wanted` is reached on, whose profile may take another call. */
  ringTargets(wanted: (userId: number) => boolean | Promise<boolean>): Promise<RingTarget[]>;
  /** A transfer moved the customer to another phone: the carrier leg and the record go on in `next`. */
  adopt(old: BridgedCall, next: BridgedCall): void;
  /** The transferring agent's leg is over: its dialog leaves the registry, the record stays open. */
  release(old: BridgedCall): void;
}
