import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { agentReportSchema, queueReportSchema, reportQuerySchema } from '../../../contracts/queue-reports';
import { canReadContactCenterReports } from '../../../contracts/policy/console-access';
import type { AppEnv } from '../app-env';
import { createRouter, errorResponses, json } from '../openapi';
import { authorize } from '../signed-in';
import { agentReportCsv, buildAgentReport, buildQueueReport, queueReportCsv } from './build-reports';

const csv = {
  200: { content: { 'text/csv': { schema: { type: 'string' as const } } }, description: 'CSV, RFC 4180.' },
};
const request = { query: reportQuerySchema };

const routes = {
  queues: createRoute({
    method: 'get',
    path: '/reports/queues',
    tags: ['reports'],
    summary:
      "Each queue's day: offered, answered, abandoned, overflowed, service level, average and longest wait, average handle (supervisor, admin)",
    request,
    responses: { 200: json(queueReportSchema, 'The day, per queue.'), ...errorResponses },
  }),
  queuesCsv: createRoute({
    method: 'get',
    path: '/reports/queues/export.csv',
    tags: ['reports'],
    summary: 'The same as CSV',
    request,
    responses: { ...csv, ...errorResponses },
  }),
  agents: createRoute({
    method: 'get',
    path: '/reports/agents',
    tags: ['reports'],
    summary:
      "Each agent's day: queue calls offered, answered, missed, average handle, seconds in each state (supervisor, admin)",
    request,
    responses: { 200: json(agentReportSchema, 'The day, per agent.'), ...errorResponses },
  }),
  agentsCsv: createRoute({
    method: 'get',
    path: '/reports/agents/export.csv',
    tags: ['reports'],
    summary: 'The same as CSV',
    request,
    responses: { ...csv, ...errorResponses },
  }),
};

function sendCsv(c: Context<AppEnv>, name: string, date: string, body: string) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${name}-${date}.csv"`);
  return c.body(body, 200) as never;
}

export const reportRoutes = createRouter()
  .openapi(routes.queues, async (c) => {
    authorize(c, canReadContactCenterReports);
    return c.json(await buildQueueReport(c.var.deps, c.req.valid('query').date), 200);
  })
  .openapi(routes.queuesCsv, async (c) => {
    authorize(c, canReadContactCenterReports);
    const report = await buildQueueReport(c.var.deps, c.req.valid('query').date);
    return sendCsv(c, 'queues', report.date, queueReportCsv(report));
  })
  .openapi(routes.agents, async (c) => {
    authorize(c, canReadContactCenterReports);
    return c.json(await buildAgentReport(c.var.deps, c.req.valid('query').date), 200);
  })
  .openapi(routes.agentsCsv, async (c) => {
    authorize(c, canReadContactCenterReports);
    const report = await buildAgentReport(c.var.deps, c.req.valid('query').date);
    return sendCsv(c, 'agents', report.date, agentReportCsv(report));
  });
