import { z } from 'zod';

/**
 * Free text a person types. PostgreSQL cannot store the NUL character, so it is refused here
 * with a sentence instead of failing in the database.
 */
export const textSchema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .refine((value) => !value.includes('\u0000'), { error: `${what} must not contain a NUL character` });
