/** 10 ms of 8-bit silence: enough for the browser to decide whether the page may play sound. */
const SILENT_WAV =
  'data:audio/wav;base64,UklGRnQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YVAAAACAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgA==';

type AutoplayPolicy = 'allowed' | 'allowed-muted' | 'disallowed';
type WithAutoplayPolicy = Navigator & { getAutoplayPolicy?: (type: 'mediaelement') => AutoplayPolicy };

/**
 * Whether the browser lets this page play sound now. Browsers block it until the person has
 * clicked or typed on the page (their autoplay policy); where the browser cannot say so directly,
 * a silent clip is played and a NotAllowedError means blocked.
 */
export async function canPlaySound(): Promise<boolean> {
  const nav = navigator as WithAutoplayPolicy;
  if (typeof nav.getAutoplayPolicy === 'function') return nav.getAutoplayPolicy('mediaelement') === 'allowed';
  const probe = new Audio(SILENT_WAV);
  try {
    await probe.play();
    probe.pause();
    return true;
  } catch (error) {
    return !(error instanceof DOMException && error.name === 'NotAllowedError');
  }
}
