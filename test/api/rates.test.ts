import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateListSchema, rateSchema, type Rate } from '../../contracts/rates';
import { auditLog, rates } from '../../server/store/schema';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
});
afterAll(async () => {
  await server?.close();
});

const list = async () => rateListSchema.parse((await admin.get('/api/rates')).body);
const importCsv = (text: string) =>
  admin.put('/api/rates/import.csv', { raw: text, contentType: 'text/csv' });
const HEADER = 'prefix,description,price_per_minute,first_increment,next_increment';

describe('rates one by one', () => {
  it('creates, changes and deletes rates with increments, prices as decimal strings, audited', async () => {
    const created = await admin.post<Rate>('/api/rates', {
      json: { prefix: '+49', description: 'Germany', pricePerMinute: '0.0123' },
    });
    expect(created.status, created.text).toBe(201);
    const rate = rateSchema.parse(created.body);
    expect(rate).toMatchObject({
      prefix: '+49',
      pricePerMinute: '0.0123',
      firstIncrement: 60,
      nextIncrement: 60,
    });
    const changed = await admin.patch<Rate>(`/api/rates/${rate.id}`, {
      json: { pricePerMinute: '1.5', firstIncrement: 30, nextIncrement: 6 },
    });
    expect(rateSchema.parse(changed.body)).toMatchObject({
      pricePerMinute: '1.50',
      firstIncrement: 30,
      nextIncrement: 6,
    });
    expect(await list()).toMatchObject({ currency: 'EUR', items: [{ prefix: '+49' }] });

    const twice = expectApiError(
      await admin.post('/api/rates', { json: { prefix: '+49', pricePerMinute: '1' } }),
      409,
      'conflict',
    );
    expect(twice.message).toBe('There is already a rate for +49; change that one.');
    const bad = expectApiError(
      await admin.post('/api/rates', {
        json: { prefix: '49', pricePerMinute: '0.1234567', firstIncrement: 0, nextIncrement: 1.5 },
      }),
      400,
    );
    expect(bad.fields).toEqual({
      prefix: 'a prefix must be + followed by up to 15 digits, like +49 (+ alone: all)',
      pricePerMinute:
        'price per minute must be a decimal number like 0.0123 (up to 6 decimals, below 1000000)',
      firstIncrement: 'first increment must be between 1 and 3600 seconds',
      nextIncrement: 'next increment must be a whole number of seconds',
    });

    expect((await admin.delete(`/api/rates/${rate.id}`)).status).toBe(204);
    expectApiError(await admin.delete(`/api/rates/${rate.id}`), 404);
    const actions = (await server.db.select().from(auditLog).where(eq(auditLog.entity, 'rate'))).map(
      (e) => e.action,
    );
    expect(actions).toEqual(['rate.create', 'rate.update', 'rate.delete']);
  });
});

describe('CSV import and export', () => {
  it('replaces the whole table and exports it back the same', async () => {
    await admin.post('/api/rates', { json: { prefix: '+33', pricePerMinute: '9' } });
    const csv = [
      HEADER,
      '+49,Germany,0.02,60,60',
      '"+4915","Germany, mobile",0.15,1,1',
      '',
      "'+1,North America,0.010000,30,6",
      '+,Everywhere else,0.5,60,60',
    ].join('\r\n');
    const response = await importCsv(`\uFEFF${csv}\r\n`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ imported: 4 });
    const table = await list();
    expect(
      table.items.map((r) => [r.prefix, r.description, r.pricePerMinute, r.firstIncrement, r.nextIncrement]),
    ).toEqual([
      ['+', 'Everywhere else', '0.50', 60, 60],
      ['+1', 'North America', '0.01', 30, 6],
      ['+49', 'Germany', '0.02', 60, 60],
      ['+4915', 'Germany, mobile', '0.15', 1, 1],
    ]);

    const exported = await admin.get<string>('/api/rates/export.csv');
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(exported.text.split('\r\n')[0]).toBe(HEADER);
    // The export guards cells a spreadsheet would run ('+49); the import reads them back.
    expect(exported.text).toContain(`'+4915,"Germany, mobile",0.15,1,1`);
    expect((await importCsv(exported.text)).body).toEqual({ imported: 4 });
    expect((await list()).items.map((r) => r.prefix)).toEqual(table.items.map((r) => r.prefix));
    const entry = (await server.db.select().from(auditLog).where(eq(auditLog.action, 'rate.import'))).at(-1);
    expect(entry).toMatchObject({ before: { rates: 4 }, after: { rates: 4 } });
  });

  it('checks every line, names each bad one by its line number, and writes nothing', async () => {
    const before = await server.db.select().from(rates);
    const response = await importCsv(
      [
        HEADER,
        '+44,UK,0.03,60,60',
        '44,UK without plus,0.03,60,60',
        '+45,Denmark,0.1234567,60,60',
        '+46,Sweden,0.03,0,60',
        '+47,Norway,0.03,60',
        '+44,UK again,0.04,60,60',
        '+48,Poland,abc,60,sixty',
      ].join('\n'),
    );
    const error = expectApiError(response, 400, 'validation_failed');
    expect(error.fields).toEqual({
      'line 3': 'a prefix must be + followed by up to 15 digits, like +49 (+ alone: all)',
      'line 4': 'price per minute must be a decimal number like 0.0123 (up to 6 decimals, below 1000000)',
      'line 5': 'first increment must be between 1 and 3600 seconds',
      'line 6':
        'expected 5 columns (prefix,description,price_per_minute,first_increment,next_increment), found 4',
      'line 7': 'the prefix +44 is already on line 2',
      'line 8':
        'price per minute must be a decimal number like 0.0123 (up to 6 decimals, below 1000000); next increment must be a number of seconds',
    });
    expect(error.message).toMatch(/^Nothing was imported: line 3: a prefix must be/);
    expect(error.message).toMatch(/; and 1 more lines\.$/);
    expect(await server.db.select().from(rates)).toEqual(before);

    expect(expectApiError(await importCsv('prefix,price\n+49,1\n'), 400).fields).toEqual({
      'line 1': `the first line must name the columns: ${HEADER}`,
    });
    expect(Object.keys(expectApiError(await importCsv(`${HEADER}\n+49,"Germ\n`), 400).fields ?? {})).toEqual([
      'line 2',
    ]);
    expectApiError(await admin.put('/api/rates/import.csv', { json: { prefix: '+49' } }), 415);
    const huge = `${HEADER}\n${'+49,x,1,60,60\n'.repeat(160_000)}`;
    expectApiError(await importCsv(huge), 413, 'payload_too_large');
    expect(await server.db.select().from(rates)).toEqual(before);
  });
});
