import type * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';

/** How long after the first candidate the other host candidates (other interfaces) may take. */
export const HOST_CANDIDATE_GRACE_MS = 30;

/**
 * With no STUN or TURN server configured, a peer connection only has host candidates, and they
 * all come within a few milliseconds of the first. sip.js would still wait for gathering to end
 * (which on a multi-interface host can take the whole iceGatheringTimeout) before sending the
 * offer or answer; this tells it to go on shortly after the first candidate instead.
 */
export function finishIceGatheringEarly(handler: Web.SessionDescriptionHandler): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  handler.peerConnectionDelegate = {
    onicecandidate: (event) => {
      if (!event.candidate || timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        handler.iceGatheringComplete();
      }, HOST_CANDIDATE_GRACE_MS);
    },
  };
}
