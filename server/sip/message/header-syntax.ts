// Low-level pieces of the SIP header grammar shared by the header helpers. All loops are
// linear and regex-free on untrusted input, so hostile values cannot cause backtracking.

const tokenChars = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return tokenChars.test(text);
}

/** The characters of a token (RFC 3261 25.1), by char code, for scanning one at a time. */
const tokenCodes = new Uint8Array(128);
for (const ch of "-.!%*_+`'~") tokenCodes[ch.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) tokenCodes[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) tokenCodes[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) tokenCodes[code] = 1;

/** Whether `text[index]` is a token character (false past the end). */
export function isTokenCharAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code < 128 && tokenCodes[code] === 1;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

/**
 * Splits on `separator` (one character) outside quoted strings and angle brackets. Pieces are trimmed;
 * empty pieces are dropped.
 */
export function splitOutside(text: string, separator: string): string[] {
  // Most list headers carry one value: no separator at all needs no walk.
  if (!text.includes(separator)) {
    const only = text.trim();
    return only === '' ? [] : [only];
  }
  const pieces: string[] = [];
  const separatorCode = separator.charCodeAt(0);
  let inQuotes = false;
  let angleDepth = 0;
  let start = 0;
  // By char code: a one-character string per character was most of this function's time.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inQuotes) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inQuotes = false;
    } else if (code === QUOTE) {
      inQuotes = true;
    } else if (code === LESS_THAN) {
      angleDepth++;
    } else if (code === GREATER_THAN) {
      if (angleDepth > 0) angleDepth--;
    } else if (code === separatorCode && angleDepth === 0) {
      const piece = text.slice(start, i).trim();
      if (piece !== '') pieces.push(piece);
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') pieces.push(last);
  return pieces;
}

/** Index of `ch` outside quoted strings, or -1. */
export function indexOutsideQuotes(text: string, ch: string, from = 0): number {
  let inQuotes = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '\\') i++;
      else if (c === '"') inQuotes = false;
    } else if (c === '"') {
      inQuotes = true;
    } else if (c === ch) {
      return i;
    }
  }
  return -1;
}

/** Ordered parameters; names are lowercase, values as written (quotes kept), null when bare. */
export type Params = Map<string, string | null>;

/** Parses `;a=1;b;c="x;y"` (a leading separator is optional). Returns null on a bad name. */
export function parseParams(text: string, separator = ';'): Params | null {
  const params: Params = new Map();
  for (const piece of splitOutside(text, separator)) {
    const eq = piece.indexOf('=');
    const name = (eq === -1 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (name === '' || !isToken(name)) return null;
    const value = eq === -1 ? null : piece.slice(eq + 1).trim();
    params.set(name, value);
  }
  return params;
}

export function formatParams(params: Params, separator = ';'): string {
  let out = '';
  for (const [name, value] of params) {
    out += value === null ? `${separator}${name}` : `${separator}${name}=${value}`;
  }
  return out;
}

/** Removes surrounding quotes and backslash escapes; returns the text unchanged if unquoted. */
export function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  const inner = text.slice(1, -1);
  // Most quoted strings (nonces, digests, URIs) hold no quoted-pair: one slice, not a string per character.
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length - 1) {
      out += text[i + 1];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * A quoted string: quotes, backslashes and control characters (a display name such as RFC
 * 4475's `"BEL:\<BEL>"`) written as quoted-pairs. CR and LF have no quoted-pair: the
 * serializer keeps them off the line.
 */
export function quote(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  return `"${text.replace(/["\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * A decimal integer as the SIP grammar writes it (1*DIGIT: leading zeros allowed, so `0068`
 * is 68), or null when it is not one or is above `max`.
 */
export function parseDecimal(text: string, max: number): number | null {
  if (text === '' || text.length > 64) return null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return null;
    if (code === 0x30 && start === i && i < text.length - 1) start++;
  }
  const digits = text.slice(start);
  if (digits.length > 15) return null;
  const value = Number(digits);
  return value <= max ? value : null;
}

/** Any control character but tab, bare or not. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const ANY_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Whether a header value holds a control character (other than tab) where the grammar has
 * none: the only place one may appear is a quoted-pair (`\` and the character) inside a
 * quoted string (RFC 3261 25.1), as in RFC 4475's `"BEL:\<BEL> NUL:\<NUL>"` display name.
 */
export function hasBareControl(text: string): boolean {
  // Nearly every value has no control character at all (the regex finds that in native code);
  // the walk tells a quoted-pair from a bare one for the rest.
  if (!ANY_CONTROL.test(text)) return false;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inQuotes && code === 0x5c) {
      i++;
      continue;
    }
    if (code === 0x22) inQuotes = !inQuotes;
    else if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

const isLws = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * Trims spaces and tabs only, the SIP grammar's whitespace: String.prototype.trim would also
 * take a BOM or a no-break space off a UTF-8 value (RFC 4475 3.1.1.2 starts one with a BOM).
 */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isLws(text.charCodeAt(start))) start++;
  while (end > start && isLws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
