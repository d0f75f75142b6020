import { z } from 'zod';

export const signInSchema = z
  .object({
    username: z
      .string({ error: 'username must be text' })
      .min(1, { error: 'username is required' })
      .max(64, { error: 'username must be at most 64 characters' }),
    password: z
      .string({ error: 'password must be text' })
      .min(1, { error: 'password is required' })
      .max(256, { error: 'password must be at most 256 characters' }),
  })
  .strict();
export type SignIn = z.infer<typeof signInSchema>;
