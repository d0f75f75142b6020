import * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { SessionDescriptionHandlerModifier } from 'sip.js/lib/api/index.js';
import { rollBackLocalOffer } from './offer-rollback';
import { iceUfrag } from './session-media';

/**
 * sip.js's WebRTC session description handler, with what a call that outlives its connection to
 * the edge needs of it (both phones restarting ICE at once after moving to another edge):
 * - it can take back an offer the other side refused, without losing the call's audio;
 * - answering the other side's ICE restart, it waits for the new candidates like an offer does.
 */
export class CallDescriptionHandler extends Web.SessionDescriptionHandler {
  /** The ICE username fragment of the last description sent with its candidates (null before). */
  private sentGeneration: string | null = null;

  /**
   * An incoming call's offer is applied before the microphone's track is added, so the track goes
   * to the transceiver the offer made. sip.js adds the track first, and Chromium then pairs the
   * offer with the transceiver addTrack made; rolling back a later offer of this phone (re-INVITEs
   * that crossed) unpairs it, and the call goes silent both ways (measured with two peer
   * connections in one page: the answerer stops sending). Later offers keep sip.js's order: the
   * track is in place by then and is only replaced.
   */
  override setDescription(
    sdp: string,
    options?: Web.SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<void> {
    const peerConnection = this.peerConnection;
    const firstOffer =
      peerConnection?.signalingState === 'stable' && peerConnection.getTransceivers().length === 0;
    if (!firstOffer || options?.onDataChannel) return super.setDescription(sdp, options, modifiers);
    return this.applyModifiers({ sdp, type: 'offer' }, modifiers)
      .then((description) => this.setRemoteSessionDescription(description))
      .then(() => this.getLocalMediaStream(options));
  }

  /**
   * sip.js calls this when a re-INVITE is refused (491 when re-INVITEs cross, 480 while the other
   * phone reconnects, 488). Without it the peer connection would stay in have-local-offer: every
   * later offer on the call would fail (hold, transfer, the next ICE restart), and the other
   * side's offer would be taken for an answer and refused.
   */
  rollbackDescription(): Promise<void> {
    return rollBackLocalOffer(this.peerConnection);
  }

  /**
   * sip.js waits for new candidates only when this side restarts ICE. When it answers the other
   * side's restart, Chromium still reports the last generation's gathering as complete right after
   * setLocalDescription, so sip.js would send the answer without a single candidate. A new local
   * ICE username fragment is a new generation: its candidates are waited for too.
   */
  protected override async waitForIceGatheringComplete(restart = false, timeout = 0): Promise<void> {
    const generation = iceUfrag(this.peerConnection?.localDescription);
    const newGeneration = this.sentGeneration !== null && generation !== this.sentGeneration;
    await super.waitForIceGatheringComplete(restart || newGeneration, timeout);
    this.sentGeneration = generation;
  }
}
