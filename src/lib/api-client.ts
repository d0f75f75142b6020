import type { z } from 'zod';
import { apiErrorSchema } from '../../contracts/errors';
import type { ErrorCode } from '../../contracts/errors';

/** Codes the server sends, plus the two the client itself can run into. */
export type ApiRequestErrorCode = ErrorCode | 'network_error' | 'invalid_response';

type ApiRequestErrorInit = {
  status: number;
  code: ApiRequestErrorCode;
  message: string;
  fields?: Record<string, string> | undefined;
  retryAfter?: number | undefined;
};

/** Every failed API request ends in one of these: the server's error shape, or what went wrong on the way. */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  readonly code: ApiRequestErrorCode;
  /** One message per invalid field, keyed by the field's path ("username", "flags.1"). */
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds to wait before trying again, from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(init: ApiRequestErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? {};
    this.retryAfter = init.retryAfter;
  }
}

export function isApiRequestError(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError;
}

export function isUnauthenticated(error: unknown): boolean {
  return isApiRequestError(error) && error.status === 401;
}

type RequestOptions<T> = {
  /** Parses the JSON body; without it the body is returned as `unknown`. */
  schema?: z.ZodType<T>;
  body?: unknown;
  signal?: AbortSignal;
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const statusCodes: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/** `Retry-After` is either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}

async function toError(response: Response): Promise<ApiRequestError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown;
  try {
    body = await readJson(response);
  } catch {
    body = undefined;
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiRequestError({ status: response.status, code, message, fields, retryAfter });
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiRequestError({
    status: response.status,
    code: statusCodes[response.status] ?? 'internal',
    message: `The server answered ${response.status}${statusText}. Please try again.`,
    retryAfter,
  });
}

async function request<T>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiRequestError({
      status: 0,
      code: 'network_error',
      message: 'The server could not be reached. Check the connection and try again.',
    });
  }
  if (!response.ok) throw await toError(response);

  let body: unknown;
  try {
    body = response.status === 204 ? undefined : await readJson(response);
  } catch {
    throw invalidResponse(response.status);
  }
  if (!options.schema) return body as T;
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) throw invalidResponse(response.status);
  return parsed.data;
}

function invalidResponse(status: number): ApiRequestError {
  return new ApiRequestError({
    status,
    code: 'invalid_response',
    message: 'The server sent an answer this page does not understand. Reload the page and try again.',
  });
}

/** The one API client: same-origin JSON over fetch with the session cookie. */
export const apiClient = {
  get: <T>(path: string, options?: Omit<RequestOptions<T>, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, options?: RequestOptions<T>) => request<T>('POST', path, options),
  put: <T>(path: string, options?: RequestOptions<T>) => request<T>('PUT', path, options),
  patch: <T>(path: string, options?: RequestOptions<T>) => request<T>('PATCH', path, options),
  delete: <T = void>(path: string, options?: RequestOptions<T>) => request<T>('DELETE', path, options),
};
