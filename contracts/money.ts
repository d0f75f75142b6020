import { z } from 'zod';

/**
 * Money is never a float: the API writes amounts as decimal strings ("12.50") and the server
 * keeps them as whole minor units (cents for EUR, yen for JPY, fils for BHD), as many decimals
 * as the account's currency has.
 */

/** ISO 4217 currencies the runtime knows (Intl), so their decimals are known too. */
const knownCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const currencySchema = z
  .string({ error: 'currency must be text' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { error: 'currency must be a three-letter ISO 4217 code, like EUR or USD' })
  .refine((code) => knownCurrencies.has(code), {
    error: 'currency must be an ISO 4217 code in use, like EUR, USD or GBP',
  });

/** How many decimals a currency's amounts have (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

const AMOUNT_PATTERN = /^[0-9]{1,12}(?:\.[0-9]{1,6})?$/;

/** A positive amount as a decimal string, like "25" or "12.50" (the currency's decimals at most). */
export const amountSchema = (what: string) =>
  z
    .string({ error: `${what} must be a decimal number written as text, like "12.50"` })
    .trim()
    .regex(AMOUNT_PATTERN, {
      error: `${what} must be a decimal number like 12.50 (digits, at most one point)`,
    })
    .refine((text) => /[1-9]/.test(text), { error: `${what} must be more than zero` });

/**
 * Whole minor units of a decimal string, or null when it has more decimals than the currency
 * (12.345 EUR is no amount of money).
 */
export function toMinorUnits(text: string, digits: number): number | null {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text.trim());
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return null;
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** A number of minor units as the decimal string the API shows ("-3.05" for -305 cents). */
export function formatMinorUnits(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** An amount with its currency, as a person reads it: "EUR 12.50". */
export function moneyText(minor: number, currency: string): string {
  return `${currency} ${formatMinorUnits(minor, currencyDigits(currency))}`;
}
