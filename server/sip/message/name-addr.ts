import {
  formatParams,
  indexOutsideQuotes,
  isToken,
  parseParams,
  quote,
  unquote,
  type Params,
} from './header-syntax';
import type { SipUri } from './sip-uri';

/** A From, To, Contact, Route, Record-Route… value: `"Name" <uri>;param=value`. */
export interface NameAddr {
  displayName: string | null;
  /** The URI as written (any scheme); parse it with parseSipUri. */
  uri: string;
  /** Header parameters (after the URI), e.g. tag, expires, +sip.instance. */
  params: Params;
  /**
   * The URI as a SIP URI (null for another scheme) once message-fields has read it: a field, not
   * a WeakMap beside it, whose entries young-generation GCs keep alive and copy (bench:sip).
   */
  parsedUri?: SipUri | null;
}

export function parseNameAddr(text: string): NameAddr | null {
  const value = text.trim();
  if (value === '') return null;
  const open = indexOutsideQuotes(value, '<');
  if (open !== -1) {
    const close = value.indexOf('>', open + 1);
    if (close === -1) return null;
    const uri = value.slice(open + 1, close).trim();
    if (uri === '' || !uri.includes(':')) return null;
    const before = value.slice(0, open).trim();
    let displayName: string | null = null;
    if (before !== '') {
      if (before.startsWith('"')) {
        if (before.length < 2 || !before.endsWith('"')) return null;
        displayName = unquote(before);
      } else {
        const words = before.split(/[ \t]+/);
        if (!words.every(isToken)) return null;
        displayName = words.join(' ');
      }
    }
    const params = parseParams(value.slice(close + 1));
    if (!params) return null;
    if (!/^\s*(;|$)/.test(value.slice(close + 1))) return null;
    return { displayName, uri, params };
  }
  // addr-spec form: parameters after the first ';' belong to the header (RFC 3261 20.10).
  const semicolon = value.indexOf(';');
  const uri = (semicolon === -1 ? value : value.slice(0, semicolon)).trim();
  if (uri === '' || !uri.includes(':') || /[\s"]/.test(uri)) return null;
  const params = semicolon === -1 ? new Map() : parseParams(value.slice(semicolon));
  if (!params) return null;
  return { displayName: null, uri, params };
}

export function formatNameAddr(addr: NameAddr): string {
  let out = '';
  if (addr.displayName !== null && addr.displayName !== '') {
    const words = addr.displayName.split(' ');
    out += words.every(isToken) ? addr.displayName : quote(addr.displayName);
    out += ' ';
  }
  return `${out}<${addr.uri}>${formatParams(addr.params)}`;
}

export function tagOf(addr: NameAddr): string | null {
  return addr.params.get('tag') ?? null;
}
