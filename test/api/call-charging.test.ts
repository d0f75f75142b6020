import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallCharging, type ChargedCallPort } from '../../server/billing/call-charging';
import type { ChargedCall } from '../../server/billing/credit-ledger';
import { createLogger } from '../../server/log';
import {
  changeAccountBalance,
  changeProfileCredit,
  profileCreditOf,
  readAccount,
} from '../../server/store/credit-repository';
import { callCharges, profileCredit, rates } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { makeProfile } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let admin: ApiClient;
let sequence = 0;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.db.delete(rates);
});

const log = createLogger('silent');

/** A profile holding `cents` of credit, paid into the account first. */
async function profileWith(cents: number) {
  const profile = await makeProfile(server.db);
  await changeAccountBalance(server.db, cents);
  await changeProfileCredit(server.db, profile.id, cents);
  await changeAccountBalance(server.db, -cents);
  return profile;
}

const call = (profileId: number, rate: ChargedCall['rate']): ChargedCall => ({
  callId: `charge-test-${process.pid}-${++sequence}`,
  profileId,
  number: '+493012345678',
  rate,
  currency: 'EUR',
});

/** Credit held by every profile and the account, plus every charge booked: never changes. */
async function moneyInTheSystem(): Promise<number> {
  const [held] = await server.db
    .select({ sum: sql<string>`coalesce(sum(${profileCredit.creditMinor}), 0)` })
    .from(profileCredit);
  const [charged] = await server.db
    .select({ sum: sql<string>`coalesce(sum(${callCharges.amountMinor}), 0)` })
    .from(callCharges);
  return Number(held?.sum) + Number(charged?.sum) + (await readAccount(server.db)).balanceMinor;
}

function recordingPort() {
  const said: { ended: string[]; notices: string[] } = { ended: [], notices: [] };
  const port: ChargedCallPort = {
    endForCredit: (sentence) => said.ended.push(sentence),
    notify: (sentence) => said.notices.push(sentence),
  };
  return { said, port };
}

describe('admission of a trunk call', () => {
  it('free with an empty table; refused 403 for an unpriced number and 402 when the credit cannot pay the first increment', async () => {
    const charging = new CallCharging({ db: server.db, log });
    const poor = await profileWith(59);
    expect(await charging.admit(poor.id, '+493012345678')).toEqual({ allowed: true, rate: null });

    await admin.post('/api/rates', { json: { prefix: '+49', pricePerMinute: '0.60' } });
    await admin.post('/api/rates', {
      json: { prefix: '+4930', pricePerMinute: '0.01', firstIncrement: 1, nextIncrement: 1 },
    });
    expect(await charging.admit(poor.id, '+331234567')).toEqual({
      allowed: false,
      status: 403,
      reason: 'Calls to +331234567 are not priced; ask your administrator to add a rate',
    });
    expect(await charging.admit(poor.id, '+4940123456')).toEqual({
      allowed: false,
      status: 402,
      reason:
        "Your profile's credit (EUR 0.59) cannot pay the first minute of a call to +4940123456 (EUR 0.60); ask your supervisor for credit",
    });
    // The longest prefix wins: Berlin is priced by the second and 0.59 pays for it.
    expect(await charging.admit(poor.id, '+493012345678')).toMatchObject({
      allowed: true,
      rate: { prefix: '+4930', priceMicros: 10_000, firstIncrement: 1, nextIncrement: 1, currency: 'EUR' },
    });
  });
});

describe('a running call', () => {
  it('60/60: the first minute at the answer, the rest settled from the seconds it lasted', async () => {
    let now = 1_000_000;
    const charging = new CallCharging({ db: server.db, log, now: () => now });
    const profile = await profileWith(1_000);
    const key = {};
    const c = call(profile.id, {
      prefix: '+49',
      priceMicros: 120_000,
      firstIncrement: 60,
      nextIncrement: 60,
    });
    const { port, said } = recordingPort();
    charging.reserve(key, c);
    charging.answered(key, port);
    await expect.poll(() => profileCreditOf(server.db, profile.id)).toBe(988);
    now += 61_000;
    expect(await charging.ended(key)).toEqual({ amountMinor: 24, currency: 'EUR' });
    expect(await profileCreditOf(server.db, profile.id)).toBe(976);
    const [row] = await server.db.select().from(callCharges).where(eq(callCharges.callId, c.callId));
    expect(row).toMatchObject({ amountMinor: 24, billedSeconds: 120, prefix: '+49' });
    expect(row?.endedAt).not.toBeNull();
    expect(said).toEqual({ ended: [], notices: [] });
    expect(await charging.ended(key)).toBeNull();
  });

  it('1/1: charged each second as it begins, told 30 s ahead, ended when the credit cannot pay the next', async () => {
    const charging = new CallCharging({ db: server.db, log });
    // 0.60 a minute at 1/1 is a cent a second; 4 cents pay 4 seconds.
    const profile = await profileWith(4);
    const key = {};
    const c = call(profile.id, { prefix: '+', priceMicros: 600_000, firstIncrement: 1, nextIncrement: 1 });
    const { port, said } = recordingPort();
    const started = Date.now();
    charging.reserve(key, c);
    charging.answered(key, port);
    await expect.poll(() => said.notices.length, { timeout: 2000 }).toBe(1);
    expect(said.notices[0]).toMatch(
      /^Your profile's credit runs out in [34] seconds; the call will end then$/,
    );
    await expect.poll(() => said.ended.length, { timeout: 8000 }).toBe(1);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(3900);
    expect(elapsed).toBeLessThan(6000);
    expect(said.ended).toEqual([
      "Your profile's credit ran out, so the call was ended; ask your supervisor for credit",
    ]);
    expect(await profileCreditOf(server.db, profile.id)).toBe(0);
    expect(await charging.ended(key)).toEqual({ amountMinor: 4, currency: 'EUR' });
    expect(await profileCreditOf(server.db, profile.id)).toBe(0);
  });
});

describe('races: no cent lost or counted twice', () => {
  it('two calls charging one profile at once, while credit is taken back and allocated through the API', async () => {
    const total = await moneyInTheSystem();
    const profile = await profileWith(1_000);
    expect(await moneyInTheSystem()).toBe(total + 1_000);
    const charging = new CallCharging({ db: server.db, log });
    const rate = { prefix: '+', priceMicros: 420_000, firstIncrement: 1, nextIncrement: 1 };
    const a = call(profile.id, rate);
    const b = call(profile.id, rate);
    await changeAccountBalance(server.db, 500);
    const charges = Array.from({ length: 60 }, (_, i) => charging.ledger.charge(i % 2 ? a : b, 7, i + 1));
    const moves = [
      admin.post(`/api/credit/profiles/${profile.id}/take-back`, { json: { amount: '3.00' } }),
      admin.post(`/api/credit/profiles/${profile.id}/allocate`, { json: { amount: '5.00' } }),
      admin.post(`/api/credit/profiles/${profile.id}/take-back`, { json: { amount: '1.11' } }),
    ];
    const [outcomes, answers] = await Promise.all([Promise.all(charges), Promise.all(moves)]);
    for (const answer of answers) expect([200, 409], answer.text).toContain(answer.status);

    const paid = outcomes.filter((o) => o.ok).length;
    const [rowA] = await server.db.select().from(callCharges).where(eq(callCharges.callId, a.callId));
    const [rowB] = await server.db.select().from(callCharges).where(eq(callCharges.callId, b.callId));
    expect(Number(rowA?.amountMinor ?? 0) + Number(rowB?.amountMinor ?? 0)).toBe(paid * 7);
    const moved = answers.reduce(
      (sum, answer, i) => (answer.status === 200 ? sum + [-300, 500, -111][i]! : sum),
      0,
    );
    expect(await profileCreditOf(server.db, profile.id)).toBe(1_000 + moved - paid * 7);
    expect(await moneyInTheSystem()).toBe(total + 1_500);
  });

  it('two calls ending at once settle from one credit, never below zero', async () => {
    const total = await moneyInTheSystem();
    let now = 5_000_000;
    const charging = new CallCharging({ db: server.db, log, now: () => now });
    const rate = { prefix: '+', priceMicros: 600_000, firstIncrement: 60, nextIncrement: 60 };
    for (const [credit, expected] of [
      [1_000, { each: [180, 180], left: 640 }],
      // 200 pays both first minutes (120) and 80 of the 240 more they ran: one gets it all, or they share it.
      [200, { each: null, left: 0 }],
    ] as const) {
      const profile = await profileWith(credit);
      const keys = [{}, {}];
      const calls = keys.map(() => call(profile.id, rate));
      keys.forEach((key, i) => {
        charging.reserve(key, calls[i]!);
        charging.answered(key, recordingPort().port);
      });
      await expect.poll(() => profileCreditOf(server.db, profile.id)).toBe(credit - 120);
      now += 150_000;
      const settled = await Promise.all(keys.map((key) => charging.ended(key)));
      const amounts = settled.map((s) => s?.amountMinor ?? 0);
      if (expected.each) expect(amounts).toEqual(expected.each);
      expect(amounts.reduce((x, y) => x + y, 0)).toBe(credit - expected.left);
      expect(await profileCreditOf(server.db, profile.id)).toBe(expected.left);
    }
    expect(await moneyInTheSystem()).toBe(total + 1_200);
  });
});
