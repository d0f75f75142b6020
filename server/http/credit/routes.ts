import { createRoute } from '@hono/zod-openapi';
import {
  accountAdjustmentSchema,
  creditAccountSchema,
  creditAccountUpdateSchema,
  creditTransferSchema,
  type CreditAccount,
} from '../../../contracts/credit';
import { currencyDigits, formatMinorUnits, moneyText, toMinorUnits } from '../../../contracts/money';
import { canAllocateCredit, canManageAccount, canReadCredit } from '../../../contracts/policy/console-access';
import {
  changeAccountBalance,
  changeProfileCredit,
  creditTotals,
  listProfileCredit,
  lockAccount,
  profileCreditOf,
  readAccount,
  setAccountCurrency,
} from '../../store/credit-repository';
import type { DbOrTx } from '../../store/database';
import { findProfile } from '../../store/profiles-repository';
import { conflict, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';

const routes = {
  get: createRoute({
    method: 'get',
    path: '/credit',
    tags: ['credit'],
    summary: "The account's balance and currency, and each profile's credit (supervisor, admin)",
    responses: { 200: json(creditAccountSchema, 'The account.'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/credit',
    tags: ['credit'],
    summary: "Set the account's currency, while no credit is held anywhere (admin)",
    request: jsonBody(creditAccountUpdateSchema),
    responses: { 200: json(creditAccountSchema, 'Updated.'), ...errorResponses, ...conflictResponse },
  }),
  adjust: createRoute({
    method: 'post',
    path: '/credit/adjustments',
    tags: ['credit'],
    summary: 'Add money paid into the account, or remove some of its unallocated balance (admin)',
    request: jsonBody(accountAdjustmentSchema),
    responses: {
      200: json(creditAccountSchema, 'The account after it.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  allocate: createRoute({
    method: 'post',
    path: '/credit/profiles/{id}/allocate',
    tags: ['credit'],
    summary: "Move credit from the account's balance to a profile (supervisor on another profile, admin)",
    request: { params: idParams, ...jsonBody(creditTransferSchema) },
    responses: {
      200: json(creditAccountSchema, 'The account after it.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  takeBack: createRoute({
    method: 'post',
    path: '/credit/profiles/{id}/take-back',
    tags: ['credit'],
    summary:
      "Move credit from a profile back to the account's balance (supervisor on another profile, admin)",
    request: { params: idParams, ...jsonBody(creditTransferSchema) },
    responses: {
      200: json(creditAccountSchema, 'The account after it.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
};

export async function loadCreditAccount(db: DbOrTx): Promise<CreditAccount> {
  const { currency, balanceMinor } = await readAccount(db);
  const digits = currencyDigits(currency);
  const totals = await creditTotals(db);
  const format = (minor: number) => formatMinorUnits(minor, digits);
  return {
    currency,
    digits,
    balance: format(balanceMinor),
    allocated: format(totals.allocated),
    charged: format(totals.charged),
    profiles: (await listProfileCredit(db)).map((p) => ({
      profileId: p.profileId,
      name: p.name,
      credit: format(p.creditMinor),
    })),
  };
}

/** An amount in the account's currency as whole minor units; more decimals than it has is a field error. */
function minorOf(amount: string, currency: string): number {
  const digits = currencyDigits(currency);
  const minor = toMinorUnits(amount, digits);
  if (minor !== null && minor > 0) return minor;
  const message =
    digits === 0
      ? `amount must be a whole number of ${currency}`
      : `amount must have at most ${digits} decimals in ${currency}`;
  throw new HttpError(400, 'validation_failed', `Please correct the request: ${message}.`, {
    amount: message,
  });
}

async function mustFindProfile(db: DbOrTx, id: number) {
  const profile = await findProfile(db, id);
  if (!profile) throw notFound(`Profile ${id}`);
  return profile;
}

export const creditRoutes = createRouter()
  .openapi(routes.get, async (c) => {
    authorize(c, canReadCredit);
    return c.json(await loadCreditAccount(c.var.deps.db), 200);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageAccount);
    const { currency } = c.req.valid('json');
    const account = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await lockAccount(tx);
      if (before.currency !== currency) {
        const totals = await creditTotals(tx);
        if (before.balanceMinor > 0 || totals.allocated > 0)
          throw conflict(
            `The currency can change only while no credit is held: the account holds ${moneyText(before.balanceMinor, before.currency)} and the profiles ${moneyText(totals.allocated, before.currency)}; take it back and remove it first.`,
            'currency',
          );
        await setAccountCurrency(tx, currency);
        await audit({
          action: 'credit.currency',
          entity: 'credit',
          entityId: null,
          before: { currency: before.currency },
          after: { currency },
        });
      }
      return {
        result: await loadCreditAccount(tx),
        events: [
          { entity: 'credit', id: null },
          { entity: 'rate', id: null },
        ],
      };
    });
    return c.json(account, 200);
  })
  .openapi(routes.adjust, async (c) => {
    const actor = authorize(c, canManageAccount);
    const input = c.req.valid('json');
    const account = await mutate(c.var.deps, actor, async (tx, audit) => {
      const { currency, balanceMinor } = await lockAccount(tx);
      const amount = minorOf(input.amount, currency);
      const balance = await changeAccountBalance(tx, input.kind === 'add' ? amount : -amount);
      if (balance === null)
        throw conflict(
          `The account's balance is ${moneyText(balanceMinor, currency)}; ${moneyText(amount, currency)} cannot be removed from it.`,
          'amount',
        );
      await audit({
        action: input.kind === 'add' ? 'credit.add' : 'credit.remove',
        entity: 'credit',
        entityId: null,
        before: { balance: moneyText(balanceMinor, currency) },
        after: {
          balance: moneyText(balance, currency),
          amount: moneyText(amount, currency),
          note: input.note,
        },
      });
      return { result: await loadCreditAccount(tx), events: [{ entity: 'credit', id: null }] };
    });
    return c.json(account, 200);
  })
  .openapi(routes.allocate, async (c) => {
    const { id } = c.req.valid('param');
    const actor = authorize(c, (a) => canAllocateCredit(a, id));
    const input = c.req.valid('json');
    const account = await mutate(c.var.deps, actor, async (tx, audit) => {
      const profile = await mustFindProfile(tx, id);
      const { currency, balanceMinor } = await lockAccount(tx);
      const amount = minorOf(input.amount, currency);
      const before = await profileCreditOf(tx, id);
      if ((await changeAccountBalance(tx, -amount)) === null)
        throw conflict(
          `The account's balance is ${moneyText(balanceMinor, currency)}, less than the ${moneyText(amount, currency)} to allocate to ${profile.name}.`,
          'amount',
        );
      const after = await changeProfileCredit(tx, id, amount);
      await audit({
        action: 'credit.allocate',
        entity: 'profile',
        entityId: id,
        before: { profile: profile.name, credit: moneyText(before, currency) },
        after: {
          profile: profile.name,
          credit: moneyText(after ?? before + amount, currency),
          amount: moneyText(amount, currency),
          note: input.note,
        },
      });
      return { result: await loadCreditAccount(tx), events: [{ entity: 'credit', id }] };
    });
    return c.json(account, 200);
  })
  .openapi(routes.takeBack, async (c) => {
    const { id } = c.req.valid('param');
    const actor = authorize(c, (a) => canAllocateCredit(a, id));
    const input = c.req.valid('json');
    const account = await mutate(c.var.deps, actor, async (tx, audit) => {
      const profile = await mustFindProfile(tx, id);
      const { currency } = await lockAccount(tx);
      const amount = minorOf(input.amount, currency);
      const before = await profileCreditOf(tx, id);
      const after = await changeProfileCredit(tx, id, -amount);
      if (after === null)
        throw conflict(
          `${profile.name} holds ${moneyText(before, currency)}, less than the ${moneyText(amount, currency)} to take back.`,
          'amount',
        );
      await changeAccountBalance(tx, amount);
      await audit({
        action: 'credit.take_back',
        entity: 'profile',
        entityId: id,
        before: { profile: profile.name, credit: moneyText(before, currency) },
        after: {
          profile: profile.name,
          credit: moneyText(after, currency),
          amount: moneyText(amount, currency),
          note: input.note,
        },
      });
      return { result: await loadCreditAccount(tx), events: [{ entity: 'credit', id }] };
    });
    return c.json(account, 200);
  });
