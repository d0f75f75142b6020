import { moneyText } from '../money';
import { allow, refuse, type Decision } from './decision';

/** A rate as charging needs it: price per minute in millionths of the currency, increments in seconds. */
export interface RateTerms {
  readonly prefix: string;
  readonly priceMicros: number;
  readonly firstIncrement: number;
  readonly nextIncrement: number;
}

/** What a destination costs: nothing (no rate table), a rate, or refused (the table does not price it). */
export type Pricing<R extends RateTerms = RateTerms> =
  { kind: 'free' } | { kind: 'priced'; rate: R } | { kind: 'unpriced'; reason: string };

/** The rate with the longest prefix of the number, or null. */
export function rateFor<R extends RateTerms>(rates: readonly R[], e164: string): R | null {
  let best: R | null = null;
  for (const rate of rates) {
    if (!e164.startsWith(rate.prefix)) continue;
    if (!best || rate.prefix.length > best.prefix.length) best = rate;
  }
  return best;
}

/**
 * How a trunk call to a number is priced. An empty rate table charges nothing (a PBX or a
 * flat-rate carrier needs no credit); once the table has rates, a number none of them covers is
 * refused, so nothing is called for free by mistake.
 */
export function priceDestination<R extends RateTerms>(rates: readonly R[], e164: string): Pricing<R> {
  if (rates.length === 0) return { kind: 'free' };
  const rate = rateFor(rates, e164);
  if (rate) return { kind: 'priced', rate };
  return {
    kind: 'unpriced',
    reason: `Calls to ${e164} are not priced; ask your administrator to add a rate`,
  };
}

/**
 * Seconds billed for a call connected `seconds` long: the first increment at the answer, then
 * whole next increments (60/60: minutes; 1/1: seconds; 30/6: 30 s, then every 6 s begun).
 */
export function billedSeconds(rate: RateTerms, seconds: number): number {
  const { firstIncrement: first, nextIncrement: next } = rate;
  if (seconds <= first) return first;
  return first + Math.ceil((seconds - first) / next) * next;
}

/**
 * The price of `billed` seconds in whole minor units (cents), rounded up: the rate is per minute,
 * in millionths. Integer arithmetic throughout (BigInt), never a float.
 */
export function priceOf(rate: RateTerms, billed: number, digits: number): number {
  const numerator = BigInt(rate.priceMicros) * BigInt(billed) * 10n ** BigInt(digits);
  const denominator = 60n * 1_000_000n;
  const minor = (numerator + denominator - 1n) / denominator;
  return Number(minor);
}

/** The price of a call connected `seconds` long. */
export function callPrice(rate: RateTerms, seconds: number, digits: number): number {
  return priceOf(rate, billedSeconds(rate, seconds), digits);
}

/**
 * A priced call may start only if the profile's credit pays its first increment (charged at
 * the answer); the refusal says how much is missing and whom to ask.
 */
export function canAffordFirstIncrement(
  rate: RateTerms,
  e164: string,
  credit: number,
  currency: string,
  digits: number,
): Decision {
  const first = priceOf(rate, rate.firstIncrement, digits);
  if (credit >= first) return allow;
  return refuse(
    `Your profile's credit (${moneyText(credit, currency)}) cannot pay the first ${seconds(rate.firstIncrement)} of a call to ${e164} (${moneyText(first, currency)}); ask your supervisor for credit`,
  );
}

/**
 * How many more next increments `credit` pays after `billed` seconds: the largest k with
 * price(billed + k·next) − price(billed) ≤ credit (prices grow with k, so a binary search).
 */
export function incrementsAffordable(
  rate: RateTerms,
  billed: number,
  credit: number,
  digits: number,
): number {
  const base = priceOf(rate, billed, digits);
  const costOf = (k: number) => priceOf(rate, billed + k * rate.nextIncrement, digits) - base;
  let low = 0;
  let high = Math.max(1, Math.floor(10_000_000 / rate.nextIncrement));
  if (costOf(high) <= credit) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (costOf(middle) <= credit) low = middle;
    else high = middle;
  }
  return low;
}

/** The sentence the phone shows when a call ends because the profile's credit ran out. */
export const CREDIT_RAN_OUT =
  "Your profile's credit ran out, so the call was ended; ask your supervisor for credit";

/** The notice the phone shows shortly before that. */
export function creditRunningOutNotice(secondsLeft: number): string {
  const n = Math.max(1, Math.round(secondsLeft));
  return `Your profile's credit runs out in ${n === 1 ? '1 second' : `${n} seconds`}; the call will end then`;
}

function seconds(n: number): string {
  if (n % 60 === 0) return n === 60 ? 'minute' : `${n / 60} minutes`;
  return n === 1 ? 'second' : `${n} seconds`;
}
