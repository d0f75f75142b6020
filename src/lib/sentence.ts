/** Turns a message such as "username is required" into "Username is required." */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return trimmed;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function seconds(count: number): string {
  return count === 1 ? '1 second' : `${count} seconds`;
}
