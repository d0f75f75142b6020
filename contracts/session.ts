import { z } from 'zod';
import { textSchema } from './text';

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
