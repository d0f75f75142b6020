import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import {
  queueCallListQuerySchema,
  queueCallListSchema,
  queueCallSchema,
  type QueueCall,
  type QueueCallListQuery,
} from '../../../contracts/queue-reports';
import { callWrapUpSchema } from '../../../contracts/queues';
import { dayRange } from '../../contact-center/days';
import {
  canChangeOwnAgentState,
  canReadContactCenterReports,
} from '../../../contracts/policy/console-access';
import {
  findAnsweredVisit,
  findQueueCall,
  queueCallsEntered,
  queueCallVisits,
  setQueueCallWrapUp,
} from '../../store/queue-calls-repository';
import { findQueue } from '../../store/queues-repository';
import { csvLine } from '../calls/csv';
import type { AppEnv } from '../app-env';
import { forbidden, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { authorize } from '../signed-in';
import { presentQueueCall } from './present-queue-call';

const callParams = z.object({
  callId: z
    .string()
    .min(1, { error: 'callId must not be empty' })
    .max(256, { error: 'callId must be at most 256 characters' }),
});

const csv = {
  200: { content: { 'text/csv': { schema: { type: 'string' as const } } }, description: 'CSV, RFC 4180.' },
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/queue-calls',
    tags: ['calls'],
    summary:
      "A day's queue calls with wait, outcome, agent, disposition and note (supervisor and up; below, one's own answered calls)",
    request: { query: queueCallListQuerySchema },
    responses: { 200: json(queueCallListSchema, 'The day, oldest first.'), ...errorResponses },
  }),
  listCsv: createRoute({
    method: 'get',
    path: '/queue-calls/export.csv',
    tags: ['calls'],
    summary: 'The same as CSV',
    request: { query: queueCallListQuerySchema },
    responses: { ...csv, ...errorResponses },
  }),
  wrapUp: createRoute({
    method: 'put',
    path: '/calls/{callId}/wrap-up',
    tags: ['calls'],
    summary:
      "The disposition (one of the queue's codes) and a note for a queue call, by the agent who answered it, once it has ended",
    request: { params: callParams, ...jsonBody(callWrapUpSchema) },
    responses: {
      200: json(queueCallSchema, 'The queue call with its disposition.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
};

export const QUEUE_CALL_CSV_HEADER = [
  'call_id',
  'queue',
  'caller',
  'caller_name',
  'entered_at',
  'outcome',
  'wait_seconds',
  'offers',
  'agent',
  'answered_at',
  'ended_at',
  'overflow_to',
  'disposition',
  'note',
];

const csvOf = (call: QueueCall) =>
  csvLine([
    call.callId,
    call.queue,
    call.caller,
    call.callerName,
    call.enteredAt,
    call.outcome,
    call.waitSeconds,
    call.offers,
    call.agentUsername,
    call.answeredAt,
    call.endedAt,
    call.overflowTo,
    call.disposition,
    call.note,
  ]);

/** The day's visits the signed-in person may see: everyone's from supervisor up, else their own. */
async function dayList(c: Context<AppEnv>, query: QueueCallListQuery) {
  const actor = authorize(c, canChangeOwnAgentState);
  const own = !canReadContactCenterReports(actor).allowed;
  if (own && query.agentId !== undefined && query.agentId !== actor.id)
    throw forbidden("You may list only the queue calls you answered; others' need the supervisor role.");
  const deps = c.var.deps;
  await deps.contactCenter.settled();
  const range = dayRange(query.date);
  const agentId = own ? actor.id : query.agentId;
  const rows = (await queueCallsEntered(deps.db, range.from, range.to)).filter(
    (row) =>
      (query.queueId === undefined || row.queueId === query.queueId) &&
      (agentId === undefined || row.agentId === agentId),
  );
  return { date: range.day, items: rows.map(presentQueueCall) };
}

export const queueCallRoutes = createRouter()
  .openapi(routes.list, async (c) => c.json(await dayList(c, c.req.valid('query')), 200))
  .openapi(routes.listCsv, async (c) => {
    const list = await dayList(c, c.req.valid('query'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="queue-calls-${list.date}.csv"`);
    return c.body(csvLine(QUEUE_CALL_CSV_HEADER) + list.items.map(csvOf).join(''), 200) as never;
  })
  .openapi(routes.wrapUp, async (c) => {
    const actor = authorize(c, canChangeOwnAgentState);
    const { callId } = c.req.valid('param');
    const wrapUp = c.req.valid('json');
    const deps = c.var.deps;
    await deps.contactCenter.callLog.settled();
    const row = await mutate(deps, actor, async (tx, audit) => {
      const visit = await findAnsweredVisit(tx, callId, actor.id);
      if (!visit) {
        if ((await queueCallVisits(tx, callId)) > 0)
          throw forbidden('Only the agent who answered this queue call may give its disposition.');
        throw notFound(`The queue call ${callId}`);
      }
      if (!visit.endedAt)
        throw new HttpError(
          409,
          'conflict',
          'The call is still going on; give its disposition in wrap-up, once it has ended.',
        );
      const queue = visit.queueId === null ? undefined : await findQueue(tx, visit.queueId);
      if (!queue)
        throw new HttpError(
          409,
          'conflict',
          `The queue ${visit.queue} no longer exists, so it has no dispositions.`,
        );
      if (!queue.dispositions.includes(wrapUp.disposition)) {
        const choices = queue.dispositions.length
          ? `choose one of: ${queue.dispositions.join(', ')}`
          : 'it has none; ask a supervisor to add some';
        const message = `${wrapUp.disposition} is not a disposition of the queue ${queue.name}: ${choices}`;
        throw new HttpError(400, 'validation_failed', `${message}.`, { disposition: message });
      }
      await setQueueCallWrapUp(tx, visit.id, wrapUp);
      await audit({
        action: 'queue_call.wrap_up',
        entity: 'call',
        entityId: callId,
        before: { disposition: visit.disposition, note: visit.note },
        after: { disposition: wrapUp.disposition, note: wrapUp.note || null },
      });
      const after = await findQueueCall(tx, visit.id);
      if (!after) throw notFound(`The queue call ${callId}`);
      return { result: after, events: [{ entity: 'call', id: callId }] };
    });
    return c.json(presentQueueCall(row), 200);
  });
