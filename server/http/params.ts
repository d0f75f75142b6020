import { z } from 'zod';

/**
 * A row id in a path: decimal digits only. `Number()` would also read `0x10`, `1e3`, `+5` and
 * ` 5` as ids, so the text is checked before it becomes a number.
 */
const pathId = z
  .string()
  .regex(/^[0-9]+$/, { error: 'id must be a whole number written in decimal digits' })
  .transform(Number)
  .pipe(
    z
      .number()
      .positive({ error: 'id must be a positive number' })
      .max(2_147_483_647, { error: 'id is too large' }),
  );

export const idParams = z.object({ id: pathId });
