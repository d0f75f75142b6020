import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { callListQuerySchema, callListSchema, type CallListQuery } from '../../../contracts/calls';
import type { CallListPrivacy } from '../../../contracts/users';
import { callListScope } from '../../../contracts/policy/console-access';
import { eachCall, listCalls, type CallFilter, type CallRow } from '../../store/calls-repository';
import type { DbOrTx } from '../../store/database';
import { privaciesOf } from '../../store/users-repository';
import { presentRecording, recordingsOfCalls } from '../../store/recordings-repository';
import type { RecordingSummary } from '../../../contracts/recordings';
import type { AppEnv } from '../app-env';
import { forbidden } from '../http-error';
import { createRouter, errorResponses, json } from '../openapi';
import { actorOf, requireSignedIn } from '../signed-in';
import { callCsvLine, CSV_HEADER, csvLine } from './csv';
import { presentCall, type PrivacyOf } from './present-call';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/calls',
    tags: ['calls'],
    summary: "Call records, newest first: one's own below supervisor, everyone's from supervisor up",
    request: { query: callListQuerySchema },
    responses: { 200: json(callListSchema, 'A page of call records.'), ...errorResponses },
  }),
  exportCsv: createRoute({
    method: 'get',
    path: '/calls/export.csv',
    tags: ['calls'],
    summary: 'The same records as CSV, all pages',
    request: { query: callListQuerySchema },
    responses: {
      200: { content: { 'text/csv': { schema: { type: 'string' } } }, description: 'CSV, RFC 4180.' },
      ...errorResponses,
    },
  }),
};

/** The filter a person may use: below supervisor, always narrowed to their own calls. */
function scopedFilter(c: Context<AppEnv>, query: CallListQuery): CallFilter {
  const signedIn = requireSignedIn(c);
  const { offset: _o, limit: _l, ...filter } = query;
  if (callListScope(actorOf(signedIn)) === 'all') return filter;
  if (filter.userId !== undefined && filter.userId !== signedIn.user.id)
    throw forbidden("You may list only your own calls; other people's calls need the supervisor role.");
  if (filter.profileId !== undefined) throw forbidden('Listing calls by profile needs the supervisor role.');
  return { ...filter, participantId: signedIn.user.id };
}

async function privacyLookup(db: DbOrTx, rows: CallRow[]): Promise<PrivacyOf> {
  const ids = new Set<number>();
  for (const row of rows) {
    if (row.fromUserId !== null) ids.add(row.fromUserId);
    if (row.toUserId !== null) ids.add(row.toUserId);
  }
  const map = await privaciesOf(db, [...ids]);
  return (id) => (id === null ? 'complete' : (map.get(id) ?? ('complete' satisfies CallListPrivacy)));
}

/** Each call's recordings as its record lists them (who may play them is checked when they are played). */
async function recordingsByCall(db: DbOrTx, rows: CallRow[]): Promise<Map<string, RecordingSummary[]>> {
  const byCall = new Map<string, RecordingSummary[]>();
  for (const recording of await recordingsOfCalls(
    db,
    rows.map((row) => row.callId),
  )) {
    const { id, username, state, durationMs, pauses } = presentRecording(recording);
    const list = byCall.get(recording.callId) ?? [];
    list.push({ id, username, state, durationMs, pauses });
    byCall.set(recording.callId, list);
  }
  return byCall;
}

export const callRoutes = createRouter()
  .openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const filter = scopedFilter(c, query);
    const { db } = c.var.deps;
    const { items, total } = await listCalls(db, filter, query);
    const privacy = await privacyLookup(db, items);
    const recordings = await recordingsByCall(db, items);
    return c.json(
      {
        items: items.map((row) => presentCall(row, privacy, recordings.get(row.callId))),
        total,
        offset: query.offset,
        limit: query.limit,
      },
      200,
    );
  })
  .openapi(routes.exportCsv, async (c) => {
    const filter = scopedFilter(c, c.req.valid('query'));
    const { db } = c.var.deps;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header(
      'Content-Disposition',
      `attachment; filename="calls-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    return stream(c, async (out) => {
      await out.write(csvLine(CSV_HEADER));
      let batch: CallRow[] = [];
      const flush = async () => {
        const privacy = await privacyLookup(db, batch);
        await out.write(batch.map((row) => callCsvLine(presentCall(row, privacy))).join(''));
        batch = [];
      };
      for await (const row of eachCall(db, filter)) {
        batch.push(row);
        if (batch.length >= 500) await flush();
      }
      await flush();
    }) as never;
  });
