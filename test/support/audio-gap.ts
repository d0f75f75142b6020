import type { Page } from 'playwright-core';

// The audio gap a person hears when the network changes under a call: an FFT of the newest call's
// incoming audio every 20 ms, in the page, noting the longest stretch without the tone.

/** Starts watching the page's newest live call for `hz` (heard: 25 dB above the noise floor). */
export async function startGapWatch(page: Page, hz: number): Promise<void> {
  await page.evaluate(async (hz) => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    const pc = probe.peerConnections.filter((candidate) => candidate.connectionState !== 'closed').at(-1);
    const track = pc?.getReceivers().find((receiver) => receiver.track.kind === 'audio')?.track;
    if (!track) throw new Error('No live call to watch.');
    const stream = new MediaStream([track]);
    // WebRTC audio reaches WebAudio only while an element plays it (a muted one is enough).
    const holder = new Audio();
    holder.muted = true;
    holder.srcObject = stream;
    await holder.play().catch(() => undefined);
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 4096;
    analyser.smoothingTimeConstant = 0;
    context.createMediaStreamSource(stream).connect(analyser);
    const bins = new Float32Array(analyser.frequencyBinCount);
    const bin = Math.round((hz / context.sampleRate) * analyser.fftSize);
    const watch = { markedAt: 0, lastHeardAt: performance.now(), longestGapMs: 0, stop: () => {} };
    const timer = setInterval(() => {
      analyser.getFloatFrequencyData(bins);
      const peak = Math.max(bins[bin - 1] ?? -Infinity, bins[bin] ?? -Infinity, bins[bin + 1] ?? -Infinity);
      const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
      const floor = sorted[Math.floor(sorted.length / 2)] ?? -160;
      if (peak - floor < 25) return;
      const now = performance.now();
      // Only silences that end after the mark count (the drop), each from when the tone was last heard.
      if (watch.markedAt > 0) watch.longestGapMs = Math.max(watch.longestGapMs, now - watch.lastHeardAt);
      watch.lastHeardAt = now;
    }, 20);
    watch.stop = () => {
      clearInterval(timer);
      holder.srcObject = null;
      void context.close();
    };
    (window as unknown as { __gapWatch: typeof watch }).__gapWatch = watch;
  }, hz);
}

/** From now on silences count (call it just before the network changes). */
export async function markGapStart(page: Page): Promise<void> {
  await page.evaluate(() => {
    const watch = (window as unknown as { __gapWatch: { markedAt: number } }).__gapWatch;
    watch.markedAt = performance.now();
  });
}

/**
 * The longest time, since the mark, between hearing the tone and hearing it again, in ms (20–40 ms
 * when it never stopped); stops the watch. A silence still going on counts until now.
 */
export async function stopGapWatch(page: Page): Promise<number> {
  return page.evaluate(() => {
    const watch = (
      window as unknown as {
        __gapWatch: { markedAt: number; lastHeardAt: number; longestGapMs: number; stop: () => void };
      }
    ).__gapWatch;
    watch.stop();
    const ongoing = performance.now() - Math.max(watch.lastHeardAt, watch.markedAt);
    return Math.round(Math.max(watch.longestGapMs, ongoing));
  });
}
