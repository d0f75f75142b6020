/**
 * How long an answered call may go without an audio path before the phone gives up on it. ICE over
 * a relay reached by TCP or TLS connects within a few seconds; Chromium itself declares ICE failed
 * only after its checks time out, which can take longer than a person waits in silence.
 */
export const NO_MEDIA_AFTER_MS = 8_000;

/** What the person sees when the call never got an audio path. */
export function noMediaSentence(peer: string): string {
  return `No audio path to ${peer}: the network blocks it; ask your administrator for a relay.`;
}

type Watched = Pick<
  RTCPeerConnection,
  'iceConnectionState' | 'connectionState' | 'addEventListener' | 'removeEventListener'
>;

/**
 * Calls `failed` once if the peer connection never connects: its ICE (or DTLS) fails before it
 * was ever connected, or it is not connected `timeoutMs` after the call was answered. A call that
 * did connect and loses its path later is not this (the phone restarts ICE on a network change).
 * Returns a function that stops watching.
 */
export function watchMediaPath(
  peerConnection: Watched,
  failed: () => void,
  timeoutMs = NO_MEDIA_AFTER_MS,
): () => void {
  let done = false;
  const stop = () => {
    done = true;
    clearTimeout(timer);
    peerConnection.removeEventListener('iceconnectionstatechange', check);
    peerConnection.removeEventListener('connectionstatechange', check);
  };
  const fail = () => {
    if (done) return;
    stop();
    failed();
  };
  function check(): void {
    const ice = peerConnection.iceConnectionState;
    if (peerConnection.connectionState === 'connected' || ice === 'connected' || ice === 'completed') stop();
    else if (ice === 'failed' || peerConnection.connectionState === 'failed') fail();
  }
  const timer = setTimeout(fail, timeoutMs);
  peerConnection.addEventListener('iceconnectionstatechange', check);
  peerConnection.addEventListener('connectionstatechange', check);
  check();
  return stop;
}
