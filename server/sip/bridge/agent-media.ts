import type { MediaBridge, MediaSide } from '../../media/media-bridge';
import { mediaSideOf } from '../proxy/media-relay';
import type { Binding } from '../registrar/location-service';
import { MEDIA_TAG, type BridgedCall } from './bridged-call';

/**
 * What a phone a bridged call rings speaks, read from its binding's connection as the proxy's
 * media relay reads it: WebRTC from a browser (WebSocket), plain RTP from a desk phone (UDP, TCP).
 * The carrier leg is plain RTP, so toward a desk phone rtpengine gets the trunk's flag set.
 */
export function phoneMedia(binding: Binding): MediaSide {
  return mediaSideOf(binding.connection);
}

/**
 * The carrier's offer as each kind of agent phone must see it, for an inbound call that may ring
 * browsers and desk phones at once. rtpengine rewrites one offer per call and tag, and a browser
 * and a desk phone need different ones (ICE, DTLS-SRTP, Opus against plain RTP, G.711), so each
 * kind gets an rtpengine call of its own, made once when first needed: the first is the call's
 * `mediaId`, another is kept in `spareMediaIds`. When a phone answers, its kind's rtpengine call
 * becomes the call's and the other one is deleted.
 */
export class AgentOffers {
  readonly #made = new Map<MediaSide, { callId: string; sdp: Promise<string> }>();

  constructor(
    private readonly media: MediaBridge,
    private readonly call: BridgedCall,
    /** The carrier's SDP offer. */
    private readonly carrierSdp: string,
  ) {}

  /** The offer for phones of `kind`. Rejects with MediaBridgeError. */
  offer(kind: MediaSide): Promise<string> {
    let made = this.#made.get(kind);
    if (!made) {
      const { call } = this;
      const callId = this.#made.size === 0 ? call.mediaId : `${call.mediaId}-${kind}`;
      if (callId !== call.mediaId) call.spareMediaIds.add(callId);
      const sdp = this.media.offer({
        callId,
        fromTag: MEDIA_TAG.trunk,
        sdp: this.carrierSdp,
        toward: kind,
      });
      // Rejections are seen by whoever awaits this offer; unawaited repeats must not warn.
      sdp.catch(() => undefined);
      made = { callId, sdp };
      this.#made.set(kind, made);
    }
    return made.sdp;
  }

  /** The offers for every kind among `kinds`, made at once. Rejects with MediaBridgeError. */
  async offers(kinds: Iterable<MediaSide>): Promise<Map<MediaSide, string>> {
    const wanted = [...new Set(kinds)];
    const sdps = await Promise.all(wanted.map((kind) => this.offer(kind)));
    return new Map(wanted.map((kind, index) => [kind, sdps[index] ?? '']));
  }

  /**
   * A phone of `kind` answered: its rtpengine call becomes the call's and the agent's media kind
   * is set; returns the ids of the rtpengine calls no longer needed (the caller deletes them).
   */
  answeredBy(kind: MediaSide): string[] {
    const { call } = this;
    call.agentMedia = kind;
    const made = this.#made.get(kind);
    if (made && made.callId !== call.mediaId) {
      call.spareMediaIds.add(call.mediaId);
      call.spareMediaIds.delete(made.callId);
      call.mediaId = made.callId;
    }
    const unused = [...call.spareMediaIds];
    call.spareMediaIds.clear();
    return unused;
  }
}
