import type { z } from 'zod';
import { fieldErrorsOf } from '../../contracts/field-errors';
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

/** Messages keyed by dotted path, as the form's fields and sentences. */
function onFormFields(byPath: Record<string, string>, formFields?: readonly string[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const [path, message] of Object.entries(byPath)) {
    const key = path === '_' ? '_' : fieldForPath(path, formFields);
    fields[key] ??= asSentence(message);
  }
  return fields;
}

/** What the schema says before sending, by the API's own mapping (contracts/field-errors.ts). */
export function fieldErrorsFromZod(error: z.ZodError, formFields?: readonly string[]): FieldErrors {
  return onFormFields(fieldErrorsOf(error), formFields);
}

/** The server's per-field messages (400 validation, 409 name taken), as sentences. */
export function fieldErrorsFromApi(error: unknown, formFields?: readonly string[]): FieldErrors {
  return isApiRequestError(error) ? onFormFields(error.fields, formFields) : {};
}

/** A number typed into a text field: empty stays `undefined` so the schema says it is required. */
export function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
