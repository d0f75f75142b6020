type AutoplayPolicy = 'allowed' | 'allowed-muted' | 'disallowed';
type WithAutoplayPolicy = Navigator & { getAutoplayPolicy?: (type: 'mediaelement') => AutoplayPolicy };

/**
 * 10 ms of 8-bit silence as a WAV file: enough for the browser to decide whether the page may play
 * sound. A blob: URL, which the page's Content-Security-Policy allows for media (data: it does not).
 */
function silentClipUrl(): string {
  const samples = 80;
  const bytes = new Uint8Array(44 + samples).fill(0x80);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, value: string) => {
    for (let i = 0; i < value.length; i += 1) view.setUint8(offset + i, value.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 8000, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  text(36, 'data');
  view.setUint32(40, samples, true);
  return URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
}

/**
 * Whether the browser lets this page play sound now. Browsers block it until the person has
 * clicked or typed on the page (their autoplay policy); where the browser cannot say so directly,
 * a silent clip is played and a NotAllowedError means blocked.
 */
export async function canPlaySound(): Promise<boolean> {
  const nav = navigator as WithAutoplayPolicy;
  if (typeof nav.getAutoplayPolicy === 'function') return nav.getAutoplayPolicy('mediaelement') === 'allowed';
  const url = silentClipUrl();
  const probe = new Audio(url);
  try {
    await probe.play();
    probe.pause();
    return true;
  } catch (error) {
    return !(error instanceof DOMException && error.name === 'NotAllowedError');
  } finally {
    URL.revokeObjectURL(url);
  }
}
