import type { DtmfMode } from './sip/call-info';

const KEY = 'switchboard.keypad-tones';

/**
 * How this browser sends keypad tones: in the call's audio (RFC 4733, the default) or as SIP
 * INFO messages, which some PBXes and IVRs ask for. Kept per browser; read at each key press.
 */
export function readDtmfMode(): DtmfMode {
  try {
    return localStorage.getItem(KEY) === 'info' ? 'info' : 'rfc4733';
  } catch {
    return 'rfc4733';
  }
}

export function saveDtmfMode(mode: DtmfMode): void {
  try {
    localStorage.setItem(KEY, mode);
  } catch {
    // Storage refused (private mode): the choice lasts until the page reloads at most.
  }
}
