import { isApiRequestError } from '../lib/api-client';
import { asSentence, seconds } from '../lib/sentence';

export type SignInField = 'username' | 'password';

export type SignInProblem = {
  /** A sentence for the whole form, or null when the field messages say it all. */
  message: string | null;
  fields: Partial<Record<SignInField, string>>;
};

const formFields: readonly string[] = ['username', 'password'] satisfies SignInField[];

/** What to tell the person after a failed sign-in, from the server's error. */
export function describeSignInError(error: unknown): SignInProblem {
  if (!isApiRequestError(error)) {
    return { message: 'Signing in failed. Please try again.', fields: {} };
  }
  if (error.status === 429) {
    const base = asSentence(error.message || 'Too many failed sign-ins.');
    const wait =
      error.retryAfter !== undefined && !/try again/i.test(base)
        ? ` Try again in ${seconds(error.retryAfter)}.`
        : '';
    return { message: base + wait, fields: {} };
  }
  const fields: Partial<Record<SignInField, string>> = {};
  const others: string[] = [];
  for (const [path, text] of Object.entries(error.fields)) {
    const field = path.split('.')[0] ?? path;
    if (formFields.includes(field)) fields[field as SignInField] ??= asSentence(text);
    else others.push(asSentence(text));
  }
  const hasFieldErrors = Object.keys(fields).length > 0;
  if (others.length > 0) return { message: others.join(' '), fields };
  return { message: hasFieldErrors ? null : asSentence(error.message), fields };
}
