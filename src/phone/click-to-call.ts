import { normaliseDialTarget } from './sip/dial-target';

const ASKED_KEY = 'switchboard.call-links-asked';
/** The address parameter that opens the phone with a number ready: `/?dial=1002`, `/?dial=tel:…`. */
export const DIAL_PARAMETER = 'dial';
/** `tel` and `sip` are on the browsers' safelist: no `web+` prefix needed. */
const SCHEMES = ['tel', 'sip'] as const;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The number or username a link names: `tel:+1-555-0100` (RFC 3966, parameters dropped),
 * `sip:alice@example.com` (the user part), or what was typed. Null when it names neither.
 */
export function dialTargetFromLink(link: string): string | null {
  const value = link.trim();
  const tel = /^tel:([^;?]*)/i.exec(value);
  if (tel) return normaliseDialTarget(decoded(tel[1] ?? ''));
  const sip = /^sips?:([^@;?]+)/i.exec(value);
  if (sip) return normaliseDialTarget(decoded(sip[1] ?? ''));
  return normaliseDialTarget(value);
}

/** `?dial=` of the page's address as a dial target (null without one, or when it names nothing). */
export function dialFromAddress(search = window.location.search): string | null {
  const link = new URLSearchParams(search).get(DIAL_PARAMETER);
  return link === null ? null : dialTargetFromLink(link);
}

/** Takes `?dial=` out of the address, so a reload does not bring the number back. */
export function forgetDialInAddress(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(DIAL_PARAMETER)) return;
  url.searchParams.delete(DIAL_PARAMETER);
  window.history.replaceState(window.history.state, '', url);
}

/**
 * Offers the phone as the browser's handler for `tel:` and `sip:` links, once ever per browser
 * (the browser asks the person). A link then opens `/?dial=<the link>`.
 */
export function offerCallLinkHandlerOnce(): void {
  if (typeof navigator.registerProtocolHandler !== 'function') return;
  try {
    if (localStorage.getItem(ASKED_KEY)) return;
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
  } catch {
    return;
  }
  const handler = `${window.location.origin}/?${DIAL_PARAMETER}=%s`;
  for (const scheme of SCHEMES) {
    try {
      navigator.registerProtocolHandler(scheme, handler);
    } catch {
      // Not over HTTPS, or the browser refuses this scheme: links simply open as before.
    }
  }
}
