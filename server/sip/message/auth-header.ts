import { isToken, quote, splitOutside, unquote } from './header-syntax';

/** An Authorization / WWW-Authenticate style value: `Digest realm="x", nonce="y", …`. */
export interface AuthHeader {
  /** As written, e.g. `Digest`; compare case-insensitively. */
  scheme: string;
  /** Lowercase names, unquoted values. */
  params: Map<string, string>;
}

export function parseAuthHeader(text: string): AuthHeader | null {
  const value = text.trim();
  const space = value.search(/[ \t]/);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (!isToken(scheme)) return null;
  const params = new Map<string, string>();
  if (space === -1) return { scheme, params };
  for (const piece of splitOutside(value.slice(space + 1), ',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return null;
    const name = piece.slice(0, eq).trim().toLowerCase();
    const raw = piece.slice(eq + 1).trim();
    if (!isToken(name) || raw === '') return null;
    if (raw.startsWith('"') && (raw.length < 2 || !raw.endsWith('"'))) return null;
    // A repeated parameter is ambiguous; refusing it closes a class of confusion attacks.
    if (params.has(name)) return null;
    params.set(name, unquote(raw));
  }
  return { scheme, params };
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
