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
