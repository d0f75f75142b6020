import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRequestError } from './api-client';
import { fieldErrorsFromApi, fieldErrorsFromZod, fieldForPath } from './form-errors';

describe('form field errors', () => {
  it('puts a nested path on the form field named after it, else on its top-level name', () => {
    const fields = ['name', 'auth.password', 'auth.addresses'];
    expect(fieldForPath('auth.password', fields)).toBe('auth.password');
    expect(fieldForPath('auth.addresses.2', fields)).toBe('auth.addresses');
    expect(fieldForPath('flags.1', fields)).toBe('flags');
    expect(fieldForPath('name', fields)).toBe('name');
  });

  it('keys zod issues and the server’s field messages the same way, as sentences', () => {
    const schema = z.object({
      auth: z.object({ password: z.string().min(1, 'password must not be empty') }),
    });
    const parsed = schema.safeParse({ auth: { password: '' } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldErrorsFromZod(parsed.error, ['auth.password'])).toEqual({
      'auth.password': 'Password must not be empty.',
    });
    expect(fieldErrorsFromZod(parsed.error)).toEqual({ auth: 'Password must not be empty.' });

    const refused = new ApiRequestError({
      status: 400,
      code: 'validation_failed',
      message: 'Please correct the request.',
      fields: { 'auth.password': 'password must not be empty', 'prefixes.1': 'a prefix must be +' },
    });
    expect(fieldErrorsFromApi(refused, ['auth.password', 'prefixes'])).toEqual({
      'auth.password': 'Password must not be empty.',
      prefixes: 'A prefix must be +.',
    });
  });
});
