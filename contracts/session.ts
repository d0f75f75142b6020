import { z } from 'zod';
import { textSchema } from './text';
import { meSchema } from './users';

export const signInSchema = z
  .object({
    username: textSchema('username')
      .min(1, { error: 'username is required' })
      .max(64, { error: 'username must be at most 64 characters' }),
    password: textSchema('password')
      .min(1, { error: 'password is required' })
      .max(256, { error: 'password must be at most 256 characters' }),
  })
  .strict();
export type SignIn = z.infer<typeof signInSchema>;

/**
 * Whether anyone is signed in, asked at every page load. Nobody signed in is an answer (200), not an
 * error: a 401 here would be logged by the browser on every visit to the sign-in page.
 */
export const sessionStateSchema = z.object({ me: meSchema.nullable() });
export type SessionState = z.infer<typeof sessionStateSchema>;
