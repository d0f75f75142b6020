import { describe, expect, it } from 'vitest';
import {
  billedSeconds,
  callPrice,
  canAffordFirstIncrement,
  creditRunningOutNotice,
  incrementsAffordable,
  priceDestination,
  priceOf,
  rateFor,
  type RateTerms,
} from './call-charges';

const rate = (prefix: string, priceMicros: number, first = 60, next = 60): RateTerms => ({
  prefix,
  priceMicros,
  firstIncrement: first,
  nextIncrement: next,
});

describe('which rate prices a number', () => {
  const table = [rate('+49', 20_000), rate('+4915', 150_000), rate('+491', 90_000), rate('+', 500_000)];

  it('the longest prefix wins, whatever the order', () => {
    expect(rateFor(table, '+4915112345678')?.prefix).toBe('+4915');
    expect(rateFor(table, '+4917112345678')?.prefix).toBe('+491');
    expect(rateFor(table, '+493012345678')?.prefix).toBe('+49');
    expect(rateFor(table, '+14155550100')?.prefix).toBe('+');
    expect(rateFor([...table].reverse(), '+4915112345678')?.prefix).toBe('+4915');
  });

  it('an empty table charges nothing; a table without the number refuses it with a sentence', () => {
    expect(priceDestination([], '+493012345678')).toEqual({ kind: 'free' });
    expect(priceDestination([rate('+49', 1)], '+331234567')).toEqual({
      kind: 'unpriced',
      reason: 'Calls to +331234567 are not priced; ask your administrator to add a rate',
    });
    expect(priceDestination([rate('+49', 1)], '+493012345678')).toMatchObject({
      kind: 'priced',
      rate: { prefix: '+49' },
    });
  });
});

describe('charge arithmetic with billing increments', () => {
  it('60/60 bills whole minutes begun, the first at the answer', () => {
    const r = rate('+49', 0, 60, 60);
    expect([0, 1, 59, 60, 61, 119, 120, 121].map((s) => billedSeconds(r, s))).toEqual([
      60, 60, 60, 60, 120, 120, 120, 180,
    ]);
  });

  it('1/1 bills every second; 30/6 the first 30 s then every 6 s begun', () => {
    expect([0, 1, 2, 61].map((s) => billedSeconds(rate('+', 0, 1, 1), s))).toEqual([1, 1, 2, 61]);
    expect([0, 30, 31, 36, 37, 95].map((s) => billedSeconds(rate('+', 0, 30, 6), s))).toEqual([
      30, 30, 36, 36, 42, 96,
    ]);
  });

  it('prices in whole cents, rounded up, from a price per minute in millionths', () => {
    // 0.02 a minute: 60 s = 2 cents; 1/1 for 61 s = 2.0333… → 3 cents.
    expect(callPrice(rate('+49', 20_000), 61, 2)).toBe(4);
    expect(callPrice(rate('+49', 20_000, 1, 1), 61, 2)).toBe(3);
    // 0.0123 a minute for 10 minutes = 0.123 → 13 cents; for JPY (no decimals) 1.23 yen a minute → 13 yen.
    expect(priceOf(rate('+', 12_300), 600, 2)).toBe(13);
    expect(priceOf(rate('+', 1_230_000), 600, 0)).toBe(13);
    // 1.50 a minute, 30/6, 95 s → 96 s billed = 2.40 exactly.
    expect(callPrice(rate('+', 1_500_000, 30, 6), 95, 2)).toBe(240);
    // Large prices and long calls stay exact (BigInt): 999999.999999 a minute for 24 h.
    expect(priceOf(rate('+', 999_999_999_999), 86_400, 3)).toBe(1_439_999_999_999);
    expect(priceOf(rate('+', 0), 600, 2)).toBe(0);
  });

  it('charging each increment as it begins adds up to the price of the whole call', () => {
    const r = rate('+', 12_345, 30, 6);
    let charged = 0;
    let billed = r.firstIncrement;
    charged += priceOf(r, billed, 2);
    while (billed < 3600) {
      billed += r.nextIncrement;
      charged += priceOf(r, billed, 2) - priceOf(r, billed - r.nextIncrement, 2);
    }
    expect(charged).toBe(priceOf(r, billed, 2));
  });

  it('the first increment must be paid before a priced call starts', () => {
    const r = rate('+49', 600_000, 60, 60);
    expect(canAffordFirstIncrement(r, '+493012345678', 60, 'EUR', 2)).toEqual({ allowed: true });
    expect(canAffordFirstIncrement(r, '+493012345678', 59, 'EUR', 2)).toEqual({
      allowed: false,
      reason:
        "Your profile's credit (EUR 0.59) cannot pay the first minute of a call to +493012345678 (EUR 0.60); ask your supervisor for credit",
    });
    expect(canAffordFirstIncrement(rate('+', 600_000, 1, 1), '+1555', 0, 'USD', 2)).toMatchObject({
      reason: expect.stringContaining('cannot pay the first second of a call to +1555 (USD 0.01)'),
    });
  });

  it('how many more increments the credit pays', () => {
    // 0.60 a minute at 1/1: a cent a second.
    const r = rate('+', 600_000, 1, 1);
    expect(incrementsAffordable(r, 1, 3, 2)).toBe(3);
    expect(incrementsAffordable(r, 1, 0, 2)).toBe(0);
    // 0.02 a minute, 60/60: 10 cents pay 5 more minutes.
    expect(incrementsAffordable(rate('+', 20_000), 60, 10, 2)).toBe(5);
    expect(incrementsAffordable(rate('+', 0), 60, 0, 2)).toBeGreaterThan(100_000);
    expect(creditRunningOutNotice(30)).toBe(
      "Your profile's credit runs out in 30 seconds; the call will end then",
    );
  });
});
