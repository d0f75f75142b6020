import { expect } from 'vitest';
import { apiErrorSchema, type ApiError, type ErrorCode } from '../../../contracts/errors';
import type { ApiResponse } from './api-client';

/** Asserts the one error shape with this status and code, and returns the parsed error. */
export function expectApiError(response: ApiResponse, status: number, code?: ErrorCode): ApiError['error'] {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type') ?? '').toContain('application/json');
  const parsed = apiErrorSchema.safeParse(response.body);
  expect(parsed.success, `not the error shape: ${response.text}`).toBe(true);
  if (!parsed.success) throw parsed.error;
  if (code) expect(parsed.data.error.code).toBe(code);
  expect(parsed.data.error.message.length).toBeGreaterThan(0);
  return parsed.data.error;
}
