import { CsvError, parse } from 'csv-parse/sync';
import { RATE_CSV_COLUMNS, priceToMicros, rateCreateSchema, type Rate } from '../../../contracts/rates';
import type { RateValues } from '../../store/rates-repository';
import { csvLine } from '../calls/csv';

/** The largest CSV the import takes (a full international rate deck is a few hundred kilobytes). */
export const MAX_RATE_CSV_BYTES = 2 * 1024 * 1024;

/** The path of the import, whose body is CSV up to MAX_RATE_CSV_BYTES, not a small JSON object. */
export const RATE_IMPORT_PATH = '/rates/import.csv';

export function rateCsvLine(rate: Rate): string {
  return csvLine([
    rate.prefix,
    rate.description,
    rate.pricePerMinute,
    rate.firstIncrement,
    rate.nextIncrement,
  ]);
}

export const RATE_CSV_HEADER = csvLine([...RATE_CSV_COLUMNS]);

export type RateCsvResult = { ok: true; rates: RateValues[] } | { ok: false; errors: Record<string, string> };

/** A whole number of seconds from a CSV cell; anything else stays text, so the schema says what is wrong. */
function seconds(cell: string): number | string {
  return /^[0-9]{1,6}$/.test(cell.trim()) ? Number(cell.trim()) : cell;
}

/**
 * Reads a rate table from CSV (RFC 4180): a header line with the columns of RATE_CSV_COLUMNS,
 * then one rate a line. Every line is checked; the errors are keyed "line N" (the file's own
 * line numbers), so one bad line is found without guessing, and nothing is imported unless all
 * are good. A prefix exported with a spreadsheet guard ('+49) reads as +49.
 */
export function parseRateCsv(text: string): RateCsvResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return {
        ok: false,
        errors: { [`line ${line ?? 1}`]: `the CSV cannot be read here (${error.message})` },
      };
    }
    throw error;
  }
  const [header, ...rows] = records;
  const expected = RATE_CSV_COLUMNS.join(',');
  if (!header || header.record.map((cell) => cell.toLowerCase()).join(',') !== expected)
    return {
      ok: false,
      errors: { 'line 1': `the first line must name the columns: ${expected}` },
    };
  const errors: Record<string, string> = {};
  const rates: RateValues[] = [];
  const lineOfPrefix = new Map<string, number>();
  for (const { record, info } of rows) {
    const key = `line ${info.lines}`;
    if (record.length !== RATE_CSV_COLUMNS.length) {
      errors[key] = `expected ${RATE_CSV_COLUMNS.length} columns (${expected}), found ${record.length}`;
      continue;
    }
    const [prefix = '', description = '', price = '', first = '', next = ''] = record;
    const parsed = rateCreateSchema.safeParse({
      prefix: prefix.replace(/^'(?=\+)/, ''),
      description,
      pricePerMinute: price,
      firstIncrement: seconds(first),
      nextIncrement: seconds(next),
    });
    if (!parsed.success) {
      errors[key] = parsed.error.issues.map((issue) => issue.message).join('; ');
      continue;
    }
    const earlier = lineOfPrefix.get(parsed.data.prefix);
    if (earlier !== undefined) {
      errors[key] = `the prefix ${parsed.data.prefix} is already on line ${earlier}`;
      continue;
    }
    lineOfPrefix.set(parsed.data.prefix, info.lines);
    const priceMicros = priceToMicros(parsed.data.pricePerMinute);
    if (priceMicros === null) {
      errors[key] = 'price per minute must have at most 6 decimals';
      continue;
    }
    rates.push({
      prefix: parsed.data.prefix,
      description: parsed.data.description,
      priceMicros,
      firstIncrement: parsed.data.firstIncrement,
      nextIncrement: parsed.data.nextIncrement,
    });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rates };
}
