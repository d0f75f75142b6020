import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import {
  priceToMicros,
  rateCreateSchema,
  rateImportResultSchema,
  rateListSchema,
  rateSchema,
  rateUpdateSchema,
  type Rate,
} from '../../../contracts/rates';
import { canManageRates, canReadCredit } from '../../../contracts/policy/console-access';
import { readAccount } from '../../store/credit-repository';
import type { DbOrTx } from '../../store/database';
import {
  deleteRate,
  findRate,
  findRateByPrefix,
  insertRate,
  listRates,
  replaceRates,
  updateRate,
  type RateRow,
  type RateValues,
} from '../../store/rates-repository';
import { conflict, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody, noContent } from '../openapi';
import { idParams } from '../params';
import { authorize } from '../signed-in';
import { formatPriceMicros } from '../../../contracts/rates';
import { currencyDigits } from '../../../contracts/money';
import { MAX_RATE_CSV_BYTES, parseRateCsv, RATE_CSV_HEADER, RATE_IMPORT_PATH, rateCsvLine } from './rate-csv';

const csvResponse = {
  content: { 'text/csv': { schema: { type: 'string' as const } } },
  description: 'CSV, RFC 4180.',
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/rates',
    tags: ['rates'],
    summary: 'The rate table: price per minute and billing increments by prefix (supervisor, admin)',
    responses: { 200: json(rateListSchema, 'Every rate, by prefix.'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/rates',
    tags: ['rates'],
    summary: 'Add a rate for a prefix (admin)',
    request: jsonBody(rateCreateSchema),
    responses: { 201: json(rateSchema, 'Created.'), ...errorResponses, ...conflictResponse },
  }),
  update: createRoute({
    method: 'patch',
    path: '/rates/{id}',
    tags: ['rates'],
    summary: 'Change a rate (admin); calls already going keep the rate they began with',
    request: { params: idParams, ...jsonBody(rateUpdateSchema) },
    responses: { 200: json(rateSchema, 'Updated.'), ...errorResponses, ...conflictResponse },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/rates/{id}',
    tags: ['rates'],
    summary: 'Delete a rate (admin)',
    request: { params: idParams },
    responses: { ...noContent, ...errorResponses },
  }),
  exportCsv: createRoute({
    method: 'get',
    path: '/rates/export.csv',
    tags: ['rates'],
    summary: 'The rate table as CSV: prefix, description, price_per_minute, first_increment, next_increment',
    responses: { 200: csvResponse, ...errorResponses },
  }),
  importCsv: createRoute({
    method: 'put',
    path: '/rates/import.csv',
    tags: ['rates'],
    summary:
      'Replace the whole rate table with a CSV file (text/csv, the export’s columns); every line is checked and nothing is written if any is wrong (admin)',
    request: { body: { content: { 'text/csv': { schema: { type: 'string' as const } } }, required: true } },
    responses: { 200: json(rateImportResultSchema, 'Imported.'), ...errorResponses },
  }),
};

export function presentRate(row: RateRow, digits: number): Rate {
  return {
    id: row.id,
    prefix: row.prefix,
    description: row.description,
    pricePerMinute: formatPriceMicros(row.priceMicros, digits),
    firstIncrement: row.firstIncrement,
    nextIncrement: row.nextIncrement,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const auditView = (r: RateRow) => ({
  prefix: r.prefix,
  description: r.description,
  pricePerMinute: formatPriceMicros(r.priceMicros, 0),
  firstIncrement: r.firstIncrement,
  nextIncrement: r.nextIncrement,
});

async function mustFind(db: DbOrTx, id: number): Promise<RateRow> {
  const rate = await findRate(db, id);
  if (!rate) throw notFound(`Rate ${id}`);
  return rate;
}

async function digitsOf(db: DbOrTx): Promise<number> {
  return currencyDigits((await readAccount(db)).currency);
}

/** The price in millionths (the schema already allows at most 6 decimals). */
function micros(text: string): number {
  const value = priceToMicros(text);
  if (value === null)
    throw new HttpError(
      400,
      'validation_failed',
      'Please correct the request: price per minute has too many decimals.',
      {
        pricePerMinute: 'price per minute must have at most 6 decimals',
      },
    );
  return value;
}

async function checkPrefix(db: DbOrTx, prefix: string | undefined, ownId?: number): Promise<void> {
  if (prefix === undefined) return;
  const taken = await findRateByPrefix(db, prefix);
  if (taken && taken.id !== ownId)
    throw conflict(`There is already a rate for ${prefix}; change that one.`, 'prefix');
}

/** The import's body may be larger than a JSON body, but not without bound. */
const importLimit = bodyLimit({
  maxSize: MAX_RATE_CSV_BYTES,
  onError: () => {
    throw new HttpError(413, 'payload_too_large', 'The CSV is larger than 2 MB; split the rate table.');
  },
});

export const rateRoutes = createRouter();
rateRoutes.use(RATE_IMPORT_PATH, importLimit);
rateRoutes
  .openapi(routes.list, async (c) => {
    authorize(c, canReadCredit);
    const { db } = c.var.deps;
    const { currency } = await readAccount(db);
    const digits = currencyDigits(currency);
    return c.json({ currency, items: (await listRates(db)).map((r) => presentRate(r, digits)) }, 200);
  })
  .openapi(routes.exportCsv, async (c) => {
    authorize(c, canReadCredit);
    const { db } = c.var.deps;
    const digits = await digitsOf(db);
    const rows = await listRates(db);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header(
      'Content-Disposition',
      `attachment; filename="rates-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    return stream(c, async (out) => {
      await out.write(RATE_CSV_HEADER);
      for (let i = 0; i < rows.length; i += 500)
        await out.write(
          rows
            .slice(i, i + 500)
            .map((r) => rateCsvLine(presentRate(r, digits)))
            .join(''),
        );
    }) as never;
  })
  .openapi(routes.importCsv, async (c) => {
    const actor = authorize(c, canManageRates);
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/(csv|plain)\b/i.test(type))
      throw new HttpError(415, 'unsupported_media_type', 'Send the rate table as text/csv.');
    const parsed = parseRateCsv(await c.req.text());
    if (!parsed.ok) {
      const lines = Object.entries(parsed.errors);
      const shown = lines.slice(0, 5).map(([line, message]) => `${line}: ${message}`);
      const more = lines.length > 5 ? `; and ${lines.length - 5} more lines` : '';
      throw new HttpError(
        400,
        'validation_failed',
        `Nothing was imported: ${shown.join('; ')}${more}.`,
        parsed.errors,
      );
    }
    const imported = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await listRates(tx);
      const count = await replaceRates(tx, parsed.rates);
      await audit({
        action: 'rate.import',
        entity: 'rate',
        entityId: null,
        before: { rates: before.length },
        after: { rates: count },
      });
      return { result: count, events: [{ entity: 'rate', id: null }] };
    });
    return c.json({ imported }, 200);
  })
  .openapi(routes.create, async (c) => {
    const actor = authorize(c, canManageRates);
    const input = c.req.valid('json');
    const values: RateValues = { ...input, priceMicros: micros(input.pricePerMinute) };
    const created = await mutate(c.var.deps, actor, async (tx, audit) => {
      await checkPrefix(tx, input.prefix);
      const id = await insertRate(tx, values);
      const rate = await mustFind(tx, id);
      await audit({ action: 'rate.create', entity: 'rate', entityId: id, after: auditView(rate) });
      return { result: presentRate(rate, await digitsOf(tx)), events: [{ entity: 'rate', id }] };
    });
    return c.json(created, 201);
  })
  .openapi(routes.update, async (c) => {
    const actor = authorize(c, canManageRates);
    const { id } = c.req.valid('param');
    const { pricePerMinute, ...rest } = c.req.valid('json');
    const change: Partial<RateValues> = {
      ...rest,
      ...(pricePerMinute !== undefined ? { priceMicros: micros(pricePerMinute) } : {}),
    };
    const updated = await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await checkPrefix(tx, change.prefix, id);
      await updateRate(tx, id, change);
      const after = await mustFind(tx, id);
      await audit({
        action: 'rate.update',
        entity: 'rate',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return { result: presentRate(after, await digitsOf(tx)), events: [{ entity: 'rate', id }] };
    });
    return c.json(updated, 200);
  })
  .openapi(routes.remove, async (c) => {
    const actor = authorize(c, canManageRates);
    const { id } = c.req.valid('param');
    await mutate(c.var.deps, actor, async (tx, audit) => {
      const before = await mustFind(tx, id);
      await deleteRate(tx, id);
      await audit({ action: 'rate.delete', entity: 'rate', entityId: id, before: auditView(before) });
      return { result: null, events: [{ entity: 'rate', id }] };
    });
    return c.body(null, 204);
  });
