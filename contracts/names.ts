import { z } from 'zod';

/** Names of profiles, groups, flags and usernames: lower-case letters, digits, underscore. */
export const NAME_PATTERN = /^[a-z_0-9]+$/;

export const nameSchema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .min(1, { error: `${what} must not be empty` })
    .max(64, { error: `${what} must be at most 64 characters` })
    .regex(NAME_PATTERN, {
      error: `${what} may contain only lower-case letters, digits and underscores`,
    });
