import { z } from 'zod';

// Provisional: `contracts/sip.ts` (being written with the SIP edge) will own these schemas.
// Until it lands, this is the agreed shape of `GET /api/seats`.

export const seatSchema = z.object({
  id: z.union([z.string(), z.number()]),
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  profileId: z.number().int().nullable(),
  profileName: z.string().nullable(),
  since: z.string(),
  userAgent: z.string().nullable(),
  remoteAddress: z.string().nullable(),
});
export type Seat = z.infer<typeof seatSchema>;

export const seatListSchema = z.object({ items: z.array(seatSchema) });
export type SeatList = z.infer<typeof seatListSchema>;
