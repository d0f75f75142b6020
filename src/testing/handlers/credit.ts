import { http, HttpResponse } from 'msw';
import { accountAdjustmentSchema, creditTransferSchema, type CreditAccount } from '../../../contracts/credit';
import { formatMinorUnits, toMinorUnits } from '../../../contracts/money';
import { type RateList } from '../../../contracts/rates';
import { fakeCredit } from '../fake-credit';
import { fakeDb } from '../fake-db';
import { apiError, notFound, validationFailed } from './api-errors';

/** The account as `GET /api/credit` answers it, from the fake state (EUR, two decimals). */
function account(): CreditAccount {
  const { currency, balanceMinor, chargedMinor, creditByProfile } = fakeCredit.state;
  const format = (minor: number) => formatMinorUnits(minor, 2);
  const profiles = [...fakeDb.state.profiles]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({ profileId: p.id, name: p.name, credit: format(creditByProfile.get(p.id) ?? 0) }));
  const allocated = [...creditByProfile.values()].reduce((sum, minor) => sum + minor, 0);
  return {
    currency,
    digits: 2,
    balance: format(balanceMinor),
    allocated: format(allocated),
    charged: format(chargedMinor),
    profiles,
  };
}

/** The server's refusals, word for word (server/http/credit/routes.ts). */
const conflict = (message: string) =>
  apiError(409, { code: 'conflict', message, fields: { amount: message } });
const tooManyDecimals = () =>
  apiError(400, {
    code: 'validation_failed',
    message: 'Please correct the request: amount must have at most 2 decimals in EUR.',
    fields: { amount: 'amount must have at most 2 decimals in EUR' },
  });
const money = (minor: number) => `EUR ${formatMinorUnits(minor, 2)}`;

export const creditHandlers = [
  http.get('/api/credit', () => HttpResponse.json<CreditAccount>(account())),
  http.post('/api/credit/adjustments', async ({ request }) => {
    const parsed = accountAdjustmentSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const amount = toMinorUnits(parsed.data.amount, 2);
    if (amount === null) return tooManyDecimals();
    const state = fakeCredit.state;
    if (parsed.data.kind === 'remove' && amount > state.balanceMinor)
      return conflict(
        `The account's balance is ${money(state.balanceMinor)}; ${money(amount)} cannot be removed from it.`,
      );
    state.balanceMinor += parsed.data.kind === 'add' ? amount : -amount;
    return HttpResponse.json<CreditAccount>(account());
  }),
  http.post<{ id: string; direction: string }>(
    '/api/credit/profiles/:id/:direction',
    async ({ params, request }) => {
      const profile = fakeDb.state.profiles.find((p) => String(p.id) === params.id);
      if (!profile) return notFound(`Profile ${params.id}`);
      const parsed = creditTransferSchema.safeParse(await request.json());
      if (!parsed.success) return validationFailed(parsed.error);
      const amount = toMinorUnits(parsed.data.amount, 2);
      if (amount === null) return tooManyDecimals();
      const state = fakeCredit.state;
      const held = state.creditByProfile.get(profile.id) ?? 0;
      if (params.direction === 'allocate') {
        if (amount > state.balanceMinor)
          return conflict(
            `The account's balance is ${money(state.balanceMinor)}, less than the ${money(amount)} to allocate to ${profile.name}.`,
          );
        state.balanceMinor -= amount;
        state.creditByProfile.set(profile.id, held + amount);
      } else {
        if (amount > held)
          return conflict(
            `${profile.name} holds ${money(held)}, less than the ${money(amount)} to take back.`,
          );
        state.balanceMinor += amount;
        state.creditByProfile.set(profile.id, held - amount);
      }
      return HttpResponse.json<CreditAccount>(account());
    },
  ),
  http.get('/api/rates', () =>
    HttpResponse.json<RateList>({ currency: fakeCredit.state.currency, items: fakeCredit.state.rates }),
  ),
];
