import * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { Session } from 'sip.js/lib/api/index.js';

/** A session's WebRTC peer connection and what it receives. */
export type CallMedia = { peerConnection: RTCPeerConnection; remoteStream: MediaStream };

/** The session's WebRTC description handler (absent before the offer/answer, or in tests' fakes). */
export function webHandlerOf(session: Session): Web.SessionDescriptionHandler | undefined {
  const sdh = session.sessionDescriptionHandler;
  return sdh instanceof Web.SessionDescriptionHandler ? sdh : undefined;
}

/** The session's media once it has a peer connection, else null. */
export function mediaOf(session: Session): CallMedia | null {
  const sdh = webHandlerOf(session);
  return sdh?.peerConnection
    ? { peerConnection: sdh.peerConnection, remoteStream: sdh.remoteMediaStream }
    : null;
}

/** The ICE username fragment of a session description (its first), or null. */
export function iceUfrag(description: { sdp: string } | null | undefined): string | null {
  return description ? (/^a=ice-ufrag:(\S+)/m.exec(description.sdp)?.[1] ?? null) : null;
}
