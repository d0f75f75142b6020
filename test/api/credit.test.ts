import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { callListSchema } from '../../contracts/calls';
import { creditAccountSchema, type CreditAccount } from '../../contracts/credit';
import { profileDeletedSchema, profileDeletionImpactSchema } from '../../contracts/profiles';
import { phoneNumberSchema } from '../../contracts/numbers';
import { insertCall } from '../../server/store/calls-repository';
import { setCallCharge } from '../../server/store/credit-repository';
import { auditLog, phoneNumbers } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeProfile, makeUser, uniqueNumber } from './support/fixtures';
import { serverPerFile, type TestServer } from './support/server-per-file';

let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;

serverPerFile(async (started, signedIn) => {
  [server, admin] = [started, signedIn];
  supervisor = await started.signIn('supervisor');
});

async function account(client: ApiClient = admin): Promise<CreditAccount> {
  const response = await client.get('/api/credit');
  expect(response.status, response.text).toBe(200);
  return creditAccountSchema.parse(response.body);
}

const creditOf = (a: CreditAccount, profileId: number) =>
  a.profiles.find((p) => p.profileId === profileId)?.credit;

async function ok(
  response: Promise<{ status: number; text: string; body: unknown }>,
): Promise<CreditAccount> {
  const answer = await response;
  expect(answer.status, answer.text).toBe(200);
  return creditAccountSchema.parse(answer.body);
}

const auditOf = (action: string) =>
  server.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(auditLog.id);

describe('the account', () => {
  it('starts at zero in EUR; admins pay money in and take it out, with a note in the audit log', async () => {
    const before = await account(supervisor);
    expect(before).toMatchObject({
      currency: 'EUR',
      digits: 2,
      balance: '0.00',
      allocated: '0.00',
      charged: '0.00',
    });
    expect(before.profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(['agents', 'operators', 'supervisors']),
    );

    const added = await ok(
      admin.post('/api/credit/adjustments', { json: { kind: 'add', amount: '100.5', note: 'Invoice 7' } }),
    );
    expect(added.balance).toBe('100.50');
    const removed = await ok(
      admin.post('/api/credit/adjustments', { json: { kind: 'remove', amount: '0.50' } }),
    );
    expect(removed.balance).toBe('100.00');

    const tooMuch = expectApiError(
      await admin.post('/api/credit/adjustments', { json: { kind: 'remove', amount: '100.01' } }),
      409,
      'conflict',
    );
    expect(tooMuch.message).toBe(
      "The account's balance is EUR 100.00; EUR 100.01 cannot be removed from it.",
    );
    const entries = await auditOf('credit.add');
    expect(entries.at(-1)).toMatchObject({
      actorUsername: 'admin',
      before: { balance: 'EUR 0.00' },
      after: { balance: 'EUR 100.50', amount: 'EUR 100.50', note: 'Invoice 7' },
    });
  });

  it('refuses amounts that are no money, field by field, and floats', async () => {
    for (const [amount, field] of [
      ['1.001', 'amount must have at most 2 decimals in EUR'],
      ['0', 'amount must be more than zero'],
      ['-5', 'amount must be a decimal number like 12.50 (digits, at most one point)'],
      ['1e3', 'amount must be a decimal number like 12.50 (digits, at most one point)'],
    ] as const) {
      const error = expectApiError(
        await admin.post('/api/credit/adjustments', { json: { kind: 'add', amount } }),
        400,
        'validation_failed',
      );
      expect(error.fields?.amount).toBe(field);
    }
    const float = expectApiError(
      await admin.post('/api/credit/adjustments', { json: { kind: 'add', amount: 12.5 } }),
      400,
    );
    expect(float.fields?.amount).toBe('amount must be a decimal number written as text, like "12.50"');
  });

  it('the currency changes only while no credit is held', async () => {
    const held = expectApiError(
      await admin.patch('/api/credit', { json: { currency: 'usd' } }),
      409,
      'conflict',
    );
    expect(held.message).toMatch(
      /^The currency can change only while no credit is held: the account holds EUR 100\.00/,
    );
    expect(
      expectApiError(await admin.patch('/api/credit', { json: { currency: 'XYZ' } }), 400).fields?.currency,
    ).toBe('currency must be an ISO 4217 code in use, like EUR, USD or GBP');
    expect((await account()).currency).toBe('EUR');
  });
});

describe('allocating credit to profiles', () => {
  it('moves credit from the account to a profile and back, each move audited', async () => {
    const profile = await makeProfile(server.db);
    const start = await account();
    const allocated = await ok(
      supervisor.post(`/api/credit/profiles/${profile.id}/allocate`, {
        json: { amount: '25', note: 'Campaign' },
      }),
    );
    expect(creditOf(allocated, profile.id)).toBe('25.00');
    expect(Number(allocated.balance)).toBeCloseTo(Number(start.balance) - 25, 2);
    const back = await ok(
      admin.post(`/api/credit/profiles/${profile.id}/take-back`, { json: { amount: '5.25' } }),
    );
    expect(creditOf(back, profile.id)).toBe('19.75');
    expect(back.balance).toBe((Number(start.balance) - 19.75).toFixed(2));

    const tooMuch = expectApiError(
      await admin.post(`/api/credit/profiles/${profile.id}/take-back`, { json: { amount: '20' } }),
      409,
    );
    expect(tooMuch.message).toBe(`${profile.name} holds EUR 19.75, less than the EUR 20.00 to take back.`);
    const overdrawn = expectApiError(
      await admin.post(`/api/credit/profiles/${profile.id}/allocate`, { json: { amount: '1000' } }),
      409,
    );
    expect(overdrawn.message).toBe(
      `The account's balance is EUR ${back.balance}, less than the EUR 1000.00 to allocate to ${profile.name}.`,
    );
    expect(creditOf(await account(), profile.id)).toBe('19.75');

    const entries = (await auditOf('credit.allocate')).filter((e) => e.entityId === String(profile.id));
    expect(entries).toEqual([
      expect.objectContaining({
        actorUsername: 'supervisor',
        entity: 'profile',
        before: { profile: profile.name, credit: 'EUR 0.00' },
        after: { profile: profile.name, credit: 'EUR 25.00', amount: 'EUR 25.00', note: 'Campaign' },
      }),
    ]);
    expect((await auditOf('credit.take_back')).at(-1)).toMatchObject({
      after: { credit: 'EUR 19.75', amount: 'EUR 5.25' },
    });
  });

  it('a supervisor does not move credit on their own profile; an unknown profile is a 404', async () => {
    const own = (await account()).profiles.find((p) => p.name === 'supervisors');
    const error = expectApiError(
      await supervisor.post(`/api/credit/profiles/${own?.profileId}/allocate`, { json: { amount: '1' } }),
      403,
      'forbidden',
    );
    expect(error.message).toBe(
      'A supervisor may not move credit to or from the profile they are on; ask an admin.',
    );
    expectApiError(await admin.post('/api/credit/profiles/999999/allocate', { json: { amount: '1' } }), 404);
  });
});

describe('deleting a profile', () => {
  it('returns its credit to the account and its numbers to the pool; the dialog is told exactly that first', async () => {
    const profile = await makeProfile(server.db);
    const user = await makeUser(server.db, { profileId: profile.id });
    await ok(admin.post(`/api/credit/profiles/${profile.id}/allocate`, { json: { amount: '12.34' } }));
    const numbers = [uniqueNumber(), uniqueNumber()].sort();
    for (const [i, number] of numbers.entries()) {
      const created = await admin.post('/api/numbers', {
        json: {
          number,
          profileId: profile.id,
          assignment: i === 0 ? { kind: 'user', userId: user.id } : null,
        },
      });
      expect(created.status, created.text).toBe(201);
      expect(phoneNumberSchema.parse(created.body).profile).toEqual({ id: profile.id, name: profile.name });
    }
    const before = await account();

    const impact = profileDeletionImpactSchema.parse(
      (await admin.get(`/api/profiles/${profile.id}/deletion-impact`)).body,
    );
    expect(impact).toMatchObject({ userCount: 1, credit: '12.34', currency: 'EUR', numbers });

    const response = await admin.delete(`/api/profiles/${profile.id}`);
    expect(response.status, response.text).toBe(200);
    expect(profileDeletedSchema.parse(response.body)).toEqual({
      usersUnassigned: 1,
      callRecordsDeleted: 0,
      creditReturned: '12.34',
      currency: 'EUR',
      numbersReturned: numbers,
    });
    const after = await account();
    expect(after.balance).toBe((Number(before.balance) + 12.34).toFixed(2));
    expect(after.profiles.some((p) => p.profileId === profile.id)).toBe(false);
    const rows = await server.db.select().from(phoneNumbers);
    for (const number of numbers)
      expect(rows.find((row) => row.number === number)).toMatchObject({
        profileId: null,
        userId: null,
        groupId: null,
      });
    expect((await auditOf('profile.delete')).at(-1)?.before).toMatchObject({
      creditReturned: 'EUR 12.34',
      numbersReturned: numbers,
    });
  });
});

describe('numbers belong to profiles', () => {
  it('a number of a profile rings only that profile’s users; moving it to another profile checks again', async () => {
    const sales = await makeProfile(server.db);
    const support = await makeProfile(server.db);
    const seller = await makeUser(server.db, { profileId: sales.id });
    const created = await admin.post('/api/numbers', {
      json: {
        number: uniqueNumber(),
        profileId: support.id,
        assignment: { kind: 'user', userId: seller.id },
      },
    });
    const error = expectApiError(created, 400, 'validation_failed');
    expect(error.fields?.['assignment.userId']).toBe(
      `${seller.username} is not on profile ${support.name}; a number of ${support.name} rings only its users.`,
    );
    const number = phoneNumberSchema.parse(
      (
        await admin.post('/api/numbers', {
          json: {
            number: uniqueNumber(),
            profileId: sales.id,
            assignment: { kind: 'user', userId: seller.id },
          },
        })
      ).body,
    );
    const moved = expectApiError(
      await admin.patch(`/api/numbers/${number.id}`, { json: { profileId: support.id } }),
      400,
    );
    expect(moved.fields?.profileId).toMatch(/is not on profile/);
    const toPool = await admin.patch(`/api/numbers/${number.id}`, {
      json: { profileId: null, assignment: null },
    });
    expect(phoneNumberSchema.parse(toPool.body)).toMatchObject({ profile: null, assignment: null });
    expect(
      expectApiError(await admin.patch(`/api/numbers/${number.id}`, { json: { profileId: 999999 } }), 400)
        .fields?.profileId,
    ).toBe('Profile 999999 does not exist');
  });
});

describe('the charge on call records', () => {
  it('is shown with its currency in the list and the CSV, and null on calls that were not charged', async () => {
    const base = {
      fromUri: 'sip:agent1@switchboard.local',
      fromName: 'Agent 1',
      fromUserId: null,
      toUri: 'tel:+493012345678',
      toName: null,
      toUserId: null,
      callerProfileId: null,
      callerProfile: 'agents',
      calleeProfileId: null,
      calleeProfile: null,
      direction: 'outbound' as const,
      number: '+493012345678',
      trunk: 'carrier',
    };
    const charged = await insertCall(server.db, { ...base, callId: `charged-${process.pid}` });
    await setCallCharge(server.db, charged, { amountMinor: 1_234, currency: 'EUR' });
    await insertCall(server.db, { ...base, callId: `free-${process.pid}` });

    const list = callListSchema.parse((await admin.get('/api/calls?direction=outbound')).body);
    expect(list.items.find((c) => c.callId === `charged-${process.pid}`)?.charge).toEqual({
      amount: '12.34',
      currency: 'EUR',
    });
    expect(list.items.find((c) => c.callId === `free-${process.pid}`)?.charge).toBeNull();

    const csv = (await admin.get<string>('/api/calls/export.csv?direction=outbound')).text.split('\r\n');
    expect(csv[0]?.endsWith(',trunk,charge,currency')).toBe(true);
    expect(csv.find((line) => line.includes(`charged-${process.pid}`))?.endsWith(',carrier,12.34,EUR')).toBe(
      true,
    );
    expect(csv.find((line) => line.includes(`free-${process.pid}`))?.endsWith(',carrier,,')).toBe(true);
  });
});
