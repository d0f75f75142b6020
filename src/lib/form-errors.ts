import type { z } from 'zod';
import { isApiRequestError } from './api-client';
import { asSentence } from './sentence';

/** One sentence per field, keyed by the field's top-level name ("flags.1" counts for "flags"). */
export type FieldErrors = Record<string, string>;

export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= asSentence(issue.message);
  }
  return fields;
}

/** The server's per-field messages (400 validation, 409 name taken), as sentences. */
export function fieldErrorsFromApi(error: unknown): FieldErrors {
  if (!isApiRequestError(error)) return {};
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(error.fields)) {
    const key = path.split('.')[0] ?? path;
    fields[key] ??= asSentence(message);
  }
  return fields;
}

/** A number typed into a text field: empty stays `undefined` so the schema says it is required. */
export function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
