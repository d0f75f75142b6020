import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  agentBoardListSchema,
  agentStateChangeSchema,
  agentStateHistoryQuerySchema,
  agentStateHistorySchema,
  myAgentStateSchema,
  type AgentStateHistoryQuery,
} from '../../../contracts/agent-states';
import { dayRange } from '../../contact-center/days';
import {
  agentStateScope,
  canChangeOwnAgentState,
  canReadWallboard,
} from '../../../contracts/policy/console-access';
import {
  listAgentStateChanges,
  type AgentStateChangeFilter,
  type AgentStateChangeRow,
} from '../../store/agent-state-changes-repository';
import { findReasonCodeByCode } from '../../store/reason-codes-repository';
import type { AppEnv } from '../app-env';
import { csvLine } from '../calls/csv';
import { forbidden, HttpError } from '../http-error';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { authorize } from '../signed-in';
import { myAgentState } from './my-state';
import { agentBoardEntries, visibleAgentIds } from './visible-agents';

const csv = {
  200: { content: { 'text/csv': { schema: { type: 'string' as const } } }, description: 'CSV, RFC 4180.' },
};

const routes = {
  mine: createRoute({
    method: 'get',
    path: '/me/state',
    tags: ['agent states'],
    summary: "The signed-in agent's state, with the wrap-up's queue and dispositions while wrapping up",
    responses: { 200: json(myAgentStateSchema, 'Your state now.'), ...errorResponses },
  }),
  change: createRoute({
    method: 'put',
    path: '/me/state',
    tags: ['agent states'],
    summary:
      'One click: available, not_ready with a reason code, end_wrap_up or extend_wrap_up; a state that does not allow it is a 409 with the reason',
    request: jsonBody(agentStateChangeSchema),
    responses: { 200: json(myAgentStateSchema, 'Your state now.'), ...errorResponses, ...conflictResponse },
  }),
  list: createRoute({
    method: 'get',
    path: '/agent-states',
    tags: ['agent states'],
    summary:
      "Agents' states now, with time in state and calls today (operator: their barge group; supervisor and up: everyone)",
    responses: { 200: json(agentBoardListSchema, 'The agents now.'), ...errorResponses },
  }),
  history: createRoute({
    method: 'get',
    path: '/agent-states/history',
    tags: ['agent states'],
    summary: 'State changes, newest first, by user and day (agents: their own; operators: their barge group)',
    request: { query: agentStateHistoryQuerySchema },
    responses: { 200: json(agentStateHistorySchema, 'A page of changes.'), ...errorResponses },
  }),
  historyCsv: createRoute({
    method: 'get',
    path: '/agent-states/history/export.csv',
    tags: ['agent states'],
    summary: 'The same changes as CSV, every page',
    request: { query: agentStateHistoryQuerySchema },
    responses: { ...csv, ...errorResponses },
  }),
};

/** The filter the signed-in person may use: narrowed to what they may see. */
async function scopedFilter(
  c: Context<AppEnv>,
  query: AgentStateHistoryQuery,
): Promise<AgentStateChangeFilter> {
  const actor = authorize(c, canChangeOwnAgentState);
  const range = query.date ? dayRange(query.date) : undefined;
  const filter: AgentStateChangeFilter = { userId: query.userId, from: range?.from, to: range?.to };
  const scope = agentStateScope(actor);
  if (scope === 'all') return filter;
  if (scope === 'own') {
    if (query.userId !== undefined && query.userId !== actor.id)
      throw forbidden("You may see only your own state history; other agents' needs the operator role.");
    return { ...filter, userId: actor.id };
  }
  const group = await visibleAgentIds(c.var.deps, actor);
  if (query.userId !== undefined && !group.includes(query.userId) && query.userId !== actor.id)
    throw forbidden('Operators may see the state history of their barge group only.');
  return query.userId !== undefined ? filter : { ...filter, userIds: [...group, actor.id] };
}

const present = (row: AgentStateChangeRow & { until: Date | null }) => ({
  id: row.id,
  userId: row.userId ?? 0,
  username: row.username,
  from: row.from,
  to: row.to,
  reason: row.reason,
  at: row.at.toISOString(),
  seconds: row.until ? Math.max(0, Math.round((row.until.getTime() - row.at.getTime()) / 100) / 10) : null,
});

export const HISTORY_CSV_HEADER = ['id', 'at', 'user_id', 'username', 'from', 'to', 'reason', 'seconds'];

export const agentStateRoutes = createRouter()
  .openapi(routes.mine, async (c) => {
    const actor = authorize(c, canChangeOwnAgentState);
    return c.json(await myAgentState(c.var.deps, actor.id), 200);
  })
  .openapi(routes.change, async (c) => {
    const actor = authorize(c, canChangeOwnAgentState);
    const change = c.req.valid('json');
    const { agents } = c.var.deps.contactCenter;
    let decision;
    if (change.action === 'available') decision = agents.setAvailable(actor.id);
    else if (change.action === 'end_wrap_up') decision = agents.endWrapUp(actor.id);
    else if (change.action === 'extend_wrap_up') decision = agents.extendWrapUp(actor.id);
    else {
      const reason = await findReasonCodeByCode(c.var.deps.db, change.reasonCode);
      if (!reason)
        throw new HttpError(400, 'validation_failed', `No such reason code: ${change.reasonCode}.`, {
          reasonCode: `No such reason code: ${change.reasonCode}`,
        });
      decision = agents.setNotReady(actor.id, reason.label);
    }
    if (!decision.allowed) throw new HttpError(409, 'conflict', decision.reason);
    return c.json(await myAgentState(c.var.deps, actor.id), 200);
  })
  .openapi(routes.list, async (c) => {
    const actor = authorize(c, canReadWallboard);
    const deps = c.var.deps;
    return c.json({ items: await agentBoardEntries(deps, await visibleAgentIds(deps, actor)) }, 200);
  })
  .openapi(routes.history, async (c) => {
    const query = c.req.valid('query');
    const filter = await scopedFilter(c, query);
    await c.var.deps.contactCenter.settled();
    const { items, total } = await listAgentStateChanges(c.var.deps.db, filter, query);
    return c.json({ items: items.map(present), total, offset: query.offset, limit: query.limit }, 200);
  })
  .openapi(routes.historyCsv, async (c) => {
    const filter = await scopedFilter(c, c.req.valid('query'));
    const { db, contactCenter } = c.var.deps;
    await contactCenter.settled();
    const lines = [csvLine(HISTORY_CSV_HEADER)];
    for (let offset = 0; ; offset += 1000) {
      const { items } = await listAgentStateChanges(db, filter, { offset, limit: 1000 });
      for (const row of items.map(present))
        lines.push(
          csvLine([
            row.id,
            row.at,
            row.userId || null,
            row.username,
            row.from,
            row.to,
            row.reason,
            row.seconds,
          ]),
        );
      if (items.length < 1000) break;
    }
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header(
      'Content-Disposition',
      `attachment; filename="agent-states-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    return c.body(lines.join(''), 200) as never;
  });
