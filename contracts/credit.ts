import { z } from 'zod';
import { amountSchema, currencySchema } from './money';
import { textSchema } from './text';

/**
 * The account's credit (`GET /api/credit`): one account per deployment, in one currency. Its
 * balance is what is not allocated yet; each profile holds the credit allocated to it, and its
 * users' priced trunk calls are paid from that. Amounts are decimal strings in the currency.
 */
export const profileCreditSchema = z.object({
  profileId: z.number().int(),
  name: z.string(),
  credit: z.string(),
});
export type ProfileCredit = z.infer<typeof profileCreditSchema>;

export const creditAccountSchema = z.object({
  currency: z.string(),
  /** Decimals of the currency (2 for EUR): amounts sent must not have more. */
  digits: z.number().int(),
  /** Not allocated to any profile. */
  balance: z.string(),
  /** Held by profiles, all together. */
  allocated: z.string(),
  /** Charged for calls so far, all together. */
  charged: z.string(),
  profiles: z.array(profileCreditSchema),
});
export type CreditAccount = z.infer<typeof creditAccountSchema>;

/** `PATCH /api/credit` (admin): the currency, only while no credit is held anywhere. */
export const creditAccountUpdateSchema = z.object({ currency: currencySchema }).strict();
export type CreditAccountUpdate = z.infer<typeof creditAccountUpdateSchema>;

const noteSchema = textSchema('note')
  .trim()
  .max(200, { error: 'note must be at most 200 characters' })
  .default('');

/**
 * `POST /api/credit/adjustments` (admin): money paid into the account (`add`), or taken out of
 * its unallocated balance (`remove`, e.g. a refund), with a note for the audit log.
 */
export const accountAdjustmentSchema = z
  .object({
    kind: z.enum(['add', 'remove'], { error: 'kind must be add or remove' }),
    amount: amountSchema('amount'),
    note: noteSchema,
  })
  .strict();
export type AccountAdjustment = z.infer<typeof accountAdjustmentSchema>;

/**
 * `POST /api/credit/profiles/{id}/allocate` and `/take-back` (supervisors, admins): credit moved
 * from the account's balance to a profile, or back.
 */
export const creditTransferSchema = z.object({ amount: amountSchema('amount'), note: noteSchema }).strict();
export type CreditTransfer = z.infer<typeof creditTransferSchema>;

/**
 * Marks an INFO the SIP edge itself sends inside a call (Content-Type text/plain, the body one
 * sentence): the phone shows it beside the call ("Your profile's credit runs out in 30
 * seconds…"). The edge never passes this header on from anyone else.
 */
export const EDGE_NOTICE_HEADER = 'X-Switchboard-Notice';
