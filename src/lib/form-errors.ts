import type { z } from 'zod';
import { isApiRequestError } from './api-client';
import { asSentence } from './sentence';

/**
 * One sentence per field, keyed by the field's top-level name ("flags.1" counts for "flags"), or
 * by a nested path when the form has a field of that name ("auth.password" for a form whose
 * fields are named after the nested paths they fill).
 */
export type FieldErrors = Record<string, string>;

/** The form field a dotted path belongs to: the longest prefix naming one of `fields`, else its first part. */
export function fieldForPath(path: string, fields: readonly string[] = []): string {
  const parts = path.split('.');
  for (let length = parts.length; length > 1; length--) {
    const candidate = parts.slice(0, length).join('.');
    if (fields.includes(candidate)) return candidate;
  }
  return parts[0] ?? path;
}

export function fieldErrorsFromZod(error: z.ZodError, formFields?: readonly string[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? fieldForPath(issue.path.map(String).join('.'), formFields) : '_';
    fields[key] ??= asSentence(issue.message);
  }
  return fields;
}

/** The server's per-field messages (400 validation, 409 name taken), as sentences. */
export function fieldErrorsFromApi(error: unknown, formFields?: readonly string[]): FieldErrors {
  if (!isApiRequestError(error)) return {};
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(error.fields)) {
    const key = fieldForPath(path, formFields);
    fields[key] ??= asSentence(message);
  }
  return fields;
}

/** A number typed into a text field: empty stays `undefined` so the schema says it is required. */
export function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
