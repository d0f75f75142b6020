/**
 * What a person typed or pasted, as an extension or a username, or null when it is neither.
 * Spaces, dashes, dots and brackets in pasted numbers are dropped; usernames are lower-cased.
 */
export function normaliseDialTarget(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  if (/^[0-9*#+\s().-]+$/.test(trimmed)) {
    const digits = trimmed.replace(/[\s().-]/g, '');
    return /^\+?[0-9*#]{1,32}$/.test(digits) ? digits : null;
  }
  const lower = trimmed.toLowerCase();
  return /^[a-z_0-9]{1,64}$/.test(lower) ? lower : null;
}

/**
 * The user part of the SIP URI that calls `target` (a number as typed, `+49 (30) 555-000`, or a
 * username): normalised as above, so a number keeps its leading `+` and loses its separators,
 * which sip.js would refuse in a URI before the edge (which reads the number) ever saw it; `#`
 * escaped, as a URI's user part needs. Null when `target` is no number or username.
 */
export function dialUriUser(target: string): string | null {
  const dialled = normaliseDialTarget(target);
  return dialled === null ? null : dialled.replace(/#/g, '%23');
}
