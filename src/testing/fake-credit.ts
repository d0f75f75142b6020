import type { Rate } from '../../contracts/rates';

/**
 * The account's credit as the msw handlers keep it (minor units, EUR unless a test changes it):
 * the balance, each profile's credit by profile id, and the rate table. Reset before each test.
 */
export type FakeCreditState = {
  currency: string;
  balanceMinor: number;
  chargedMinor: number;
  creditByProfile: Map<number, number>;
  rates: Rate[];
};

const at = '2026-11-23T09:00:00.000Z';

export const demoRates: Rate[] = [
  {
    id: 1,
    prefix: '+49',
    description: 'Germany',
    pricePerMinute: '0.02',
    firstIncrement: 60,
    nextIncrement: 60,
    createdAt: at,
    updatedAt: at,
  },
  {
    id: 2,
    prefix: '+4915',
    description: 'Germany mobile',
    pricePerMinute: '0.15',
    firstIncrement: 1,
    nextIncrement: 1,
    createdAt: at,
    updatedAt: at,
  },
];

function fresh(): FakeCreditState {
  return {
    currency: 'EUR',
    balanceMinor: 50_000,
    chargedMinor: 1_234,
    // The demo profiles: agents (1) hold 25.00, operators (2) 5.50, supervisors none.
    creditByProfile: new Map([
      [1, 2_500],
      [2, 550],
    ]),
    rates: structuredClone(demoRates),
  };
}

let state = fresh();

export const fakeCredit = {
  get state(): FakeCreditState {
    return state;
  },
  reset(): void {
    state = fresh();
  },
};
