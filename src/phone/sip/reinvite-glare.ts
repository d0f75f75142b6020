import type { Session } from 'sip.js/lib/api/index.js';

/** The answer to a re-INVITE that crossed this side's own (RFC 3261 §14.2). */
export const REQUEST_PENDING = 491;
/** What the edge answers a re-INVITE for a phone that is reconnecting ("try again in a moment"). */
export const TEMPORARILY_UNAVAILABLE = 480;

/**
 * Answers the other side's re-INVITEs with 491 Request Pending until the returned function is
 * called: for the time this phone prepares and sends its own. RFC 3261 §14.2 asks this of a UA whose
 * INVITE is in progress; sip.js does it only once its INVITE is on the wire, and before that
 * (while the offer's candidates are gathered) it would take the crossing offer for the answer to
 * its own and refuse it with 488, leaving neither side's offer answered.
 */
export function refuseCrossingReinvites(session: Pick<Session, 'dialog'>): () => void {
  const delegate = session.dialog?.delegate;
  const letThrough = delegate?.onInvite;
  if (!delegate || !letThrough) return () => undefined;
  const refuse: typeof letThrough = (request) => {
    request.reject({ statusCode: REQUEST_PENDING });
  };
  delegate.onInvite = refuse;
  return () => {
    if (delegate.onInvite === refuse) delegate.onInvite = letThrough;
  };
}

/** What waiting for a settled negotiation needs of a peer connection. */
export type SignalingTarget = Pick<
  RTCPeerConnection,
  'signalingState' | 'addEventListener' | 'removeEventListener'
>;

/**
 * Resolves true once no offer is pending on the peer connection (now, or when the other side's
 * re-INVITE in progress is answered), false when it closes or `timeoutMs` pass first.
 */
export function untilStable(peerConnection: SignalingTarget, timeoutMs: number): Promise<boolean> {
  if (peerConnection.signalingState === 'stable') return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (stable: boolean) => {
      clearTimeout(timer);
      peerConnection.removeEventListener('signalingstatechange', changed);
      resolve(stable);
    };
    const changed = () => {
      if (peerConnection.signalingState === 'stable') settle(true);
      else if (peerConnection.signalingState === 'closed') settle(false);
    };
    const timer = setTimeout(() => settle(false), timeoutMs);
    peerConnection.addEventListener('signalingstatechange', changed);
  });
}
