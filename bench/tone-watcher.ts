/**
 * `__untilTone(hz, present)`: resolves with the wall-clock time the page's speakers first (stop)
 * carry hz. A string, not a function: tsx's helpers (e.g. __name) must not end up in the pages.
 */
export const toneWatcher = `
window.__untilTone = (hz, present, timeoutMs = 10000) => new Promise((resolve, reject) => {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  analyser.smoothingTimeConstant = 0;
  const bins = new Float32Array(analyser.frequencyBinCount);
  const bin = Math.round((hz / context.sampleRate) * analyser.fftSize);
  const connected = new Map();
  const started = performance.now();
  const timer = setInterval(() => {
    for (const element of window.__phoneProbe.mediaElements) {
      const stream = element.srcObject;
      const playing = stream instanceof MediaStream && !element.paused && !element.muted;
      if (playing && !connected.has(element)) {
        const source = context.createMediaStreamSource(stream);
        source.connect(analyser);
        connected.set(element, source);
      } else if (!playing && connected.has(element)) {
        connected.get(element).disconnect();
        connected.delete(element);
      }
    }
    analyser.getFloatFrequencyData(bins);
    const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
    const floor = sorted[Math.floor(sorted.length / 2)] ?? -160;
    const level = Math.max(bins[bin - 1] ?? -Infinity, bins[bin] ?? -Infinity, bins[bin + 1] ?? -Infinity);
    const heard = connected.size > 0 && level - floor >= 25;
    const done = heard === present;
    if (done || performance.now() - started > timeoutMs) {
      clearInterval(timer);
      void context.close();
      if (done) resolve(performance.timeOrigin + performance.now());
      else reject(new Error('tone ' + hz + ' Hz ' + (present ? 'never came' : 'never went')));
    }
  }, 5);
});
`;
