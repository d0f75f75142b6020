import { isTokenCharAt, quote, unquote } from './header-syntax';

/** An Authorization / WWW-Authenticate style value: `Digest realm="x", nonce="y", …`. */
export interface AuthHeader {
  /** As written, e.g. `Digest`; compare case-insensitively. */
  scheme: string;
  /** Lowercase names, unquoted values. */
  params: Map<string, string>;
}

/** Receives an auth header's parameters one by one: lowercase name, unquoted value. */
export interface AuthParamSink {
  /** False when the name was given already: a repeated parameter is ambiguous, so the header is refused. */
  add(name: string, value: string): boolean;
}

/**
 * Reads `scheme name=value, name="quoted", …` into `sink` in one pass by char code and returns
 * the scheme, or null when the value is malformed. Every SIP request with credentials has one:
 * splitting it into pieces, checking names with a regex and building a Map per header was 5 % of
 * a registration's CPU in bench:sip, so the digest check reads the parameters it knows into
 * fields (digest.ts) and only parseAuthHeader builds the Map.
 */
export function readAuthHeader(text: string, sink: AuthParamSink): string | null {
  const value = text.trim();
  let space = 0;
  while (space < value.length && !isBlank(value.charCodeAt(space))) space++;
  const scheme = value.slice(0, space);
  if (!isTokenText(scheme)) return null;
  // Pieces are separated by commas outside quoted strings and angle brackets.
  for (let start = space + 1; start < value.length;) {
    const end = pieceEnd(value, start);
    const piece = value.slice(start, end).trim();
    start = end + 1;
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) return null;
    const name = piece.slice(0, eq).trim().toLowerCase();
    const raw = piece.slice(eq + 1).trim();
    if (!isTokenText(name) || raw === '') return null;
    if (raw.charCodeAt(0) === QUOTE && (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== QUOTE))
      return null;
    // A repeated parameter is ambiguous; refusing it closes a class of confusion attacks.
    if (!sink.add(name, unquote(raw))) return null;
  }
  return scheme;
}

/** The whole value, its parameters in a Map. */
export function parseAuthHeader(text: string): AuthHeader | null {
  const params = new ParamMap();
  const scheme = readAuthHeader(text, params);
  return scheme === null ? null : { scheme, params: params.map };
}

class ParamMap implements AuthParamSink {
  readonly map = new Map<string, string>();

  add(name: string, value: string): boolean {
    if (this.map.has(name)) return false;
    this.map.set(name, value);
    return true;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isTokenText(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) if (!isTokenCharAt(text, i)) return false;
  return true;
}

/** Where the piece starting at `start` ends: its comma outside quotes and angle brackets, or the end. */
function pieceEnd(value: string, start: number): number {
  let inQuotes = false;
  let angleDepth = 0;
  for (let i = start; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (inQuotes) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inQuotes = false;
    } else if (code === QUOTE) inQuotes = true;
    else if (code === 0x3c) angleDepth++;
    else if (code === 0x3e) {
      if (angleDepth > 0) angleDepth--;
    } else if (code === COMMA && angleDepth === 0) return i;
  }
  return value.length;
}

export interface AuthParam {
  name: string;
  value: string;
  quoted: boolean;
}

export function formatAuthHeader(scheme: string, params: readonly AuthParam[]): string {
  const parts = params.map(({ name, value, quoted }) => `${name}=${quoted ? quote(value) : value}`);
  return `${scheme} ${parts.join(', ')}`;
}
