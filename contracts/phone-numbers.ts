import { z } from 'zod';

/** An E.164 number as stored and shown everywhere: `+`, a country code, at most 15 digits. */
export const E164_PATTERN = /^\+[1-9][0-9]{5,14}$/;

export const e164Schema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .regex(E164_PATTERN, {
      error: `${what} must be a number in international format: + then 6 to 15 digits, like +493012345678`,
    });

/**
 * A prefix of E.164 numbers a trunk serves: `+` alone serves every number, `+49` Germany,
 * `+4930` Berlin.
 */
export const e164PrefixSchema = z
  .string({ error: 'a prefix must be text' })
  .trim()
  .regex(/^\+[0-9]{0,15}$/, {
    error: 'a prefix must be + followed by up to 15 digits, like +49 (+ alone: all)',
  });
