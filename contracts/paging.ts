import { z } from 'zod';

/** Offset paging shared by every list route. */
export const pagingQueryShape = {
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int({ error: 'offset must be a whole number' })
    .min(0, { error: 'offset must not be negative' })
    .default(0),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be between 1 and 500' })
    .max(500, { error: 'limit must be between 1 and 500' })
    .default(50),
};

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
  });

/** A reference to a row by id, in a body (`number`) or a query string (`coerce`). */
export const refIdSchema = (what: string) =>
  z
    .number({ error: `${what} must be a ${what} id` })
    .int({ error: `${what} must be a ${what} id` })
    .positive({ error: `${what} must be a ${what} id` })
    .max(2_147_483_647, { error: `${what} must be a ${what} id` });

export const refIdQuerySchema = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a ${what} id` })
    .int({ error: `${what} must be a ${what} id` })
    .positive({ error: `${what} must be a ${what} id` })
    .max(2_147_483_647, { error: `${what} must be a ${what} id` });
