/** How often a call's received audio is counted. */
export const INBOUND_POLL_MS = 250;
/** Audio that stops for this long after flowing is a stall worth checking the connection for. */
export const INBOUND_STALL_MS = 500;

type Counted = Pick<RTCPeerConnection, 'connectionState' | 'getStats'>;

/** Audio packets received so far on the peer connection (its inbound RTP streams together). */
async function audioPacketsReceived(peerConnection: Counted): Promise<number> {
  let packets = 0;
  (await peerConnection.getStats()).forEach(
    (entry: { type?: string; kind?: string; packetsReceived?: number }) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') packets += entry.packetsReceived ?? 0;
    },
  );
  return packets;
}

/**
 * Calls `stalled` when audio that was arriving stops for `stallMs`: once per stall, again only
 * after audio flowed again. A call's audio never pauses by itself (the browsers send packets
 * through silence), so this is the first sign that a network went away, seconds before ICE says
 * `disconnected`; on hold it pauses too, which costs one needless check. Stops by itself once the
 * peer connection is closed; returns a function that stops it earlier.
 */
export function watchInboundAudio(
  peerConnection: Counted,
  stalled: () => void,
  options: { pollMs?: number; stallMs?: number; now?: () => number } = {},
): () => void {
  const now = options.now ?? (() => performance.now());
  const stallMs = options.stallMs ?? INBOUND_STALL_MS;
  let last = -1;
  let changedAt = now();
  let reported = true;
  const timer = setInterval(() => {
    if (peerConnection.connectionState === 'closed') {
      clearInterval(timer);
      return;
    }
    void audioPacketsReceived(peerConnection)
      .then((packets) => {
        if (packets !== last) {
          // Audio is flowing (again): the next stall is news.
          reported = last < 0 && packets === 0;
          last = packets;
          changedAt = now();
        } else if (!reported && now() - changedAt >= stallMs) {
          reported = true;
          stalled();
        }
      })
      .catch(() => undefined);
  }, options.pollMs ?? INBOUND_POLL_MS);
  return () => clearInterval(timer);
}
