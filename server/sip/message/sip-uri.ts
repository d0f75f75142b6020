import { formatParams, parseParams, type Params } from './header-syntax';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** As written (still %-escaped), or null when the URI has no user part. */
  user: string | null;
  password: string | null;
  /** Lowercase; IPv6 references keep their brackets. */
  host: string;
  port: number | null;
  params: Params;
  /** URI headers (`?subject=x&priority=y`); names as written, values still escaped. */
  headers: ReadonlyMap<string, string>;
}

/** The headers of every URI that has none (nearly all): one map, never written. */
const noHeaders: ReadonlyMap<string, string> = new Map();

const hostnameChars = /^[A-Za-z0-9\-._]+$/;
const ipv6Chars = /^\[[0-9A-Fa-f:.]+\]$/;

function parseHostPort(text: string): { host: string; port: number | null } | null {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return null;
    host = text.slice(0, close + 1);
    rest = text.slice(close + 1);
    if (!ipv6Chars.test(host)) return null;
  } else {
    const colon = text.indexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    rest = colon === -1 ? '' : text.slice(colon);
    if (!hostnameChars.test(host)) return null;
  }
  if (rest === '') return { host: host.toLowerCase(), port: null };
  if (!rest.startsWith(':')) return null;
  const digits = rest.slice(1);
  if (!/^[0-9]{1,5}$/.test(digits)) return null;
  const port = Number(digits);
  if (port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}

/** Parses a sip: or sips: URI (RFC 3261 19.1); null if it is not one or is malformed. */
export function parseSipUri(text: string): SipUri | null {
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  let rest = text.slice(colon + 1);

  // The user part may itself contain ';' and '?', so the userinfo is cut at '@' first.
  let user: string | null = null;
  let password: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1 && !/[<>\s]/.test(rest.slice(0, at))) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pw = userinfo.indexOf(':');
    user = pw === -1 ? userinfo : userinfo.slice(0, pw);
    password = pw === -1 ? null : userinfo.slice(pw + 1);
    if (user === '') return null;
  }

  const question = rest.indexOf('?');
  const headerText = question === -1 ? '' : rest.slice(question + 1);
  if (question !== -1) rest = rest.slice(0, question);
  const semicolon = rest.indexOf(';');
  const hostPortText = semicolon === -1 ? rest : rest.slice(0, semicolon);
  const hostPort = parseHostPort(hostPortText);
  if (!hostPort) return null;
  const params = semicolon === -1 ? new Map() : parseParams(rest.slice(semicolon));
  if (!params) return null;

  let headers = noHeaders;
  if (headerText !== '') {
    const read = new Map<string, string>();
    for (const pair of headerText.split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) return null;
      read.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    headers = read;
  }
  return { scheme, user, password, host: hostPort.host, port: hostPort.port, params, headers };
}

export function formatSipUri(uri: SipUri): string {
  let out = `${uri.scheme}:`;
  if (uri.user !== null) {
    out += uri.user;
    if (uri.password !== null) out += `:${uri.password}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== null) out += `:${uri.port}`;
  out += formatParams(uri.params);
  if (uri.headers.size > 0) {
    out += `?${[...uri.headers].map(([name, value]) => `${name}=${value}`).join('&')}`;
  }
  return out;
}

/** The user part with %-escapes decoded (e.g. for looking up an account), or null. */
export function decodedUser(uri: SipUri): string | null {
  if (uri.user === null) return null;
  try {
    return decodeURIComponent(uri.user);
  } catch {
    return uri.user;
  }
}
