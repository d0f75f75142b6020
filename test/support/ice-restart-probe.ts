import type { Page } from 'playwright-core';

/**
 * The ICE username fragment each of the page's live peer connections holds for the other side, in
 * the order they were made (null for one with an offer pending). Needs `launchAgent`'s probe.
 */
export function remoteIceUfrags(page: Page): Promise<(string | null)[]> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    return probe.peerConnections
      .filter((peerConnection) => peerConnection.connectionState !== 'closed')
      .map((peerConnection) =>
        peerConnection.signalingState === 'stable'
          ? (/^a=ice-ufrag:(\S+)/m.exec(peerConnection.remoteDescription?.sdp ?? '')?.[1] ?? null)
          : null,
      );
  });
}

/**
 * Polls until every one of the page's live peer connections (as many as `before` names) holds
 * other ICE credentials for the other side than it did: each session's ICE was restarted.
 */
export async function untilIceRestarted(
  page: Page,
  before: (string | null)[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let now: (string | null)[] = before;
  while (Date.now() < deadline) {
    now = await remoteIceUfrags(page);
    const restarted = (ufrag: string | null, i: number) => ufrag !== null && ufrag !== before[i];
    if (now.length === before.length && now.every(restarted)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Not every session's ICE was restarted: the other sides' ufrags were ${JSON.stringify(before)}, are ${JSON.stringify(now)}.`,
  );
}
