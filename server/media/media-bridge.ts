/**
 * The edge's view of the media bridge between WebRTC phones (ICE, DTLS-SRTP, Opus) and SIP trunks
 * (plain RTP, PCMU/PCMA, telephone-event): rtpengine driven over its ng protocol. The SIP side
 * (server/sip) only calls this interface; server/media/rtpengine implements it.
 *
 * rtpengine keys a call by a Call-ID and the tags of its two parties; the edge passes one id of its
 * own per bridged call (both legs of a trunk call share it) and a tag per leg. `fromTag` is always
 * the tag of the party that made the offer, as in rtpengine.
 */

/** Which side an SDP is being rewritten for: a browser phone, or a trunk (carrier, PBX, desk phone). */
export type MediaSide = 'browser' | 'trunk';

export interface MediaOffer {
  callId: string;
  /** The offering leg's tag. */
  fromTag: string;
  sdp: string;
  /** Where the rewritten offer goes. */
  toward: MediaSide;
}

export interface MediaAnswer extends MediaOffer {
  /** The answering leg's tag. */
  toTag: string;
}

/** What the bridge can do now; `problem` is a sentence an administrator can act on. */
export type MediaBridgeStatus =
  | { state: 'running'; since: string }
  | { state: 'starting' | 'restarting'; problem: string | null }
  | { state: 'off'; problem: string };

/** Thrown when the bridge cannot rewrite an SDP; the message is a sentence for the phone or record. */
export class MediaBridgeError extends Error {
  override name = 'MediaBridgeError';
}

export interface MediaBridge {
  /**
   * Starts the bridge if it runs here and is not running (idempotent); the edge calls it at listen()
   * when a trunk is configured, and on each trunk call (for trunks added later).
   */
  start(): void;
  status(): MediaBridgeStatus;
  /** The offer as the other side must see it. Rejects with MediaBridgeError. */
  offer(offer: MediaOffer): Promise<string>;
  /** The answer as the offering side must see it. Rejects with MediaBridgeError. */
  answer(answer: MediaAnswer): Promise<string>;
  /** Ends the bridged call's media (both legs); resolves even when the call was already gone. */
  delete(callId: string): Promise<void>;
  /** The call ids the bridge holds now (tests check that none is left behind). */
  list(): Promise<string[]>;
  close(): Promise<void>;
}
