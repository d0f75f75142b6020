import type { ZodError } from 'zod';

/**
 * One message per invalid field, keyed by its dotted path ("channelLimit", "flags.1"; "_" for the
 * request as a whole), from a failed parse of a contract schema: what the API answers in
 * `error.fields`, and what a form shows before it sends. The one mapping for server, browser and
 * the test fakes, so a field's message reads the same wherever it is found wrong.
 */
export function fieldErrorsOf(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] = `${key} is not a known field`;
      continue;
    }
    const key = issue.path.length ? issue.path.join('.') : '_';
    if (key === '_' && issue.code === 'invalid_type') {
      fields[key] = 'The request body must be a JSON object';
      continue;
    }
    fields[key] ??= issue.message;
  }
  return fields;
}

/** The 400's one-line message over the field messages. */
export function validationSummary(fields: Record<string, string>): string {
  return `Please correct the request: ${Object.values(fields).join('; ')}.`;
}
