// Low-level pieces of the SIP header grammar shared by the header helpers. All loops are
// linear and regex-free on untrusted input, so hostile values cannot cause backtracking.

const tokenChars = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return tokenChars.test(text);
}

/**
 * Splits on `separator` outside quoted strings and angle brackets. Pieces are trimmed;
 * empty pieces are dropped.
 */
export function splitOutside(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let inQuotes = false;
  let angleDepth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') {
      inQuotes = true;
    } else if (ch === '<') {
      angleDepth++;
    } else if (ch === '>') {
      if (angleDepth > 0) angleDepth--;
    } else if (ch === separator && angleDepth === 0) {
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

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}
