import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiError, ErrorCode } from '../../contracts/errors';
import { fieldErrorsOf, validationSummary } from '../../contracts/field-errors';

/** Thrown anywhere in a handler; the app turns it into the one error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ApiError {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

export const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'You are not signed in, or your session has ended. Sign in again.');
export const forbidden = (reason: string) => new HttpError(403, 'forbidden', reason);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} does not exist.`);
export const conflict = (message: string, field?: string) =>
  new HttpError(409, 'conflict', message, field ? { [field]: message } : undefined);

/** 400 with one message per field (contracts/field-errors.ts), from a failed zod parse. */
export function validationError(error: ZodError): HttpError {
  const fields = fieldErrorsOf(error);
  return new HttpError(400, 'validation_failed', validationSummary(fields), fields);
}

/** Postgres unique violation (23505), as thrown by pg or PGlite, possibly wrapped by Drizzle. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; detail?: unknown; cause?: unknown };
    if (candidate.code === '23505') return String(candidate.constraint ?? candidate.detail ?? 'unique');
    e = candidate.cause;
  }
  return undefined;
}
