import { z } from 'zod';
import { e164PrefixSchema } from './phone-numbers';
import { textSchema } from './text';

/**
 * The rate table (`/api/rates`): what a trunk call to a number costs, by E.164 prefix (the
 * longest matching prefix wins). Each rate has a price per minute in the account's currency and
 * its billing increments in seconds: 60/60 bills whole minutes, 1/1 every second, 30/6 the first
 * 30 seconds and then every 6. An empty table prices nothing and charges nothing; once it has
 * rates, a number it does not price is refused.
 */

/** Prices have up to 6 decimals (0.0123 a minute): kept as millionths, never as floats. */
export const PRICE_DECIMALS = 6;

const priceSchema = z
  .string({ error: 'price per minute must be a decimal number written as text, like "0.05"' })
  .trim()
  .regex(/^[0-9]{1,6}(?:\.[0-9]{1,6})?$/, {
    error: 'price per minute must be a decimal number like 0.0123 (up to 6 decimals, below 1000000)',
  });

const incrementSchema = (what: string) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .int({ error: `${what} must be a whole number of seconds` })
    .min(1, { error: `${what} must be between 1 and 3600 seconds` })
    .max(3600, { error: `${what} must be between 1 and 3600 seconds` });

const rateFields = {
  prefix: e164PrefixSchema,
  description: textSchema('description')
    .trim()
    .max(80, { error: 'description must be at most 80 characters' }),
  pricePerMinute: priceSchema,
  /** Seconds billed at the answer (the first increment). */
  firstIncrement: incrementSchema('first increment'),
  /** Seconds billed each time after the first increment runs out. */
  nextIncrement: incrementSchema('next increment'),
};

export const rateCreateSchema = z
  .object({
    ...rateFields,
    description: rateFields.description.default(''),
    firstIncrement: rateFields.firstIncrement.default(60),
    nextIncrement: rateFields.nextIncrement.default(60),
  })
  .strict();
export type RateCreate = z.infer<typeof rateCreateSchema>;

export const rateUpdateSchema = z.object(rateFields).partial().strict();
export type RateUpdate = z.infer<typeof rateUpdateSchema>;

export const rateSchema = z.object({
  id: z.number().int(),
  prefix: z.string(),
  description: z.string(),
  /** In the account's currency, as a decimal string. */
  pricePerMinute: z.string(),
  firstIncrement: z.number().int(),
  nextIncrement: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rate = z.infer<typeof rateSchema>;

export const rateListSchema = z.object({ currency: z.string(), items: z.array(rateSchema) });
export type RateList = z.infer<typeof rateListSchema>;

/** The CSV's columns, in order, as export writes them and import wants them (header line first). */
export const RATE_CSV_COLUMNS = [
  'prefix',
  'description',
  'price_per_minute',
  'first_increment',
  'next_increment',
] as const;

/** `PUT /api/rates/import.csv` (text/csv): the table replaced by the file's rates, or nothing. */
export const rateImportResultSchema = z.object({ imported: z.number().int() });
export type RateImportResult = z.infer<typeof rateImportResultSchema>;

/** Millionths of a price given as a decimal string; null when it has more than 6 decimals. */
export function priceToMicros(text: string): number | null {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > PRICE_DECIMALS) return null;
  const micros = Number((match[1] ?? '0') + fraction.padEnd(PRICE_DECIMALS, '0'));
  return Number.isSafeInteger(micros) ? micros : null;
}

/** A price in millionths as its shortest decimal string, with at least the currency's decimals. */
export function formatPriceMicros(micros: number, minDecimals = 2): string {
  const text = String(micros).padStart(PRICE_DECIMALS + 1, '0');
  const whole = text.slice(0, -PRICE_DECIMALS);
  let fraction = text.slice(-PRICE_DECIMALS).replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return fraction ? `${whole}.${fraction}` : whole;
}
