import { HttpResponse } from 'msw';
import type { ZodError } from 'zod';
import type { ApiError } from '../../../contracts/errors';
import { fieldErrorsOf, validationSummary } from '../../../contracts/field-errors';

/** The server's one error shape, for tests that make a route fail with `server.use()`. */
export function apiError(
  status: number,
  error: ApiError['error'],
  headers?: Record<string, string>,
): Response {
  return HttpResponse.json<ApiError>({ error }, { status, ...(headers ? { headers } : {}) });
}

export const notFound = (what: string): Response =>
  apiError(404, { code: 'not_found', message: `${what} does not exist.` });

/** Offset paging as the list routes do it. */
export function pageOf<T>(
  items: readonly T[],
  url: URL,
): { items: T[]; total: number; offset: number; limit: number } {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 50);
  return { items: items.slice(offset, offset + limit), total: items.length, offset, limit };
}

/** A refused body as the server's validation answers it: 400, one message per field's dotted path. */
export function validationFailed(error: ZodError): Response {
  const fields = fieldErrorsOf(error);
  return apiError(400, { code: 'validation_failed', message: validationSummary(fields), fields });
}

/** 409 with the sentence on the field it is about, as the server's `conflict(message, field)`. */
export const conflictOn = (field: string, message: string): Response =>
  apiError(409, { code: 'conflict', message, fields: { [field]: message } });
