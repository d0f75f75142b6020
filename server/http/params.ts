import { z } from 'zod';

export const idParams = z.object({
  id: z.coerce
    .number({ error: 'id must be a number' })
    .int({ error: 'id must be a whole number' })
    .positive({ error: 'id must be a positive number' })
    .max(2_147_483_647, { error: 'id is too large' }),
});
